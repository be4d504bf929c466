//! Start-up with an external model artifact.

use ml_api::startup::Application;

use crate::helpers::{as_json, spawn_app, spawn_app_with, test_settings, valid_records};

#[actix_web::test]
async fn an_external_artifact_is_served_and_reported_without_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.postcard");
    std::fs::write(&path, regression_model::shipped_bytes().unwrap()).unwrap();
    let app = spawn_app_with(&[("MODEL_PATH", path.to_str().unwrap())]).await;
    let shipped = spawn_app().await;
    let records = as_json(&valid_records()[..3]);

    let info = app.get("/v1/model").await.json();
    let prediction = app.predict(&records).await;

    assert_eq!(info["source"], "file at MODEL_PATH");
    assert!(
        !info.to_string().contains(dir.path().to_str().unwrap()),
        "no server paths"
    );
    assert_eq!(prediction.status, 200);
    assert_eq!(prediction.json(), shipped.predict(&records).await.json());
}

#[actix_web::test]
async fn a_damaged_artifact_stops_start_up_with_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.postcard");
    let mut bytes = regression_model::shipped_bytes().unwrap().to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();

    let error = Application::build(test_settings(&[("MODEL_PATH", path.to_str().unwrap())]))
        .err()
        .expect("start-up fails");

    let message = error.to_string();
    assert!(message.contains("damaged.postcard"), "{message}");
    assert!(message.contains("checksum"), "{message}");
}

/// With `PIN_WORKERS=on` each worker runs on a CPU of its own, in turn, and
/// a batch large enough for the blocking pool is predicted on a thread that
/// may use every CPU again (it was started by a pinned worker).
#[cfg(target_os = "linux")]
#[actix_web::test]
async fn pinned_workers_each_get_a_cpu_and_batches_may_run_on_any() {
    let cpus = ml_api::placement::process_cpus();
    let app = spawn_app_with(&[("WORKERS", "2"), ("PIN_WORKERS", "on")]).await;
    let records: Vec<_> = valid_records().into_iter().cycle().take(200).collect();
    let body = as_json(&records);
    assert!(
        body.to_string().len() > ml_api::prediction::INLINE_BODY_BYTES,
        "the batch must go to the blocking pool"
    );

    let reply = app.predict(&body).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let threads = threads_and_cpus();
    let mut worker_cpus: Vec<usize> = threads
        .iter()
        .filter(|(name, allowed)| name.starts_with("actix-rt|system") && allowed.len() == 1)
        .map(|(_, allowed)| allowed[0])
        .collect();
    worker_cpus.sort_unstable();
    let mut expected = vec![cpus[0], cpus[1 % cpus.len()]];
    expected.sort_unstable();
    assert!(
        expected.iter().all(|cpu| worker_cpus.contains(cpu)),
        "workers pinned to {worker_cpus:?}, expected {expected:?} among them ({threads:?})"
    );
    let batch_threads: Vec<_> = threads
        .iter()
        .filter(|(name, _)| name.starts_with("tokio-rt"))
        .collect();
    assert!(
        !batch_threads.is_empty(),
        "a blocking-pool thread ran the batch ({threads:?})"
    );
    for (name, allowed) in batch_threads {
        assert_eq!(allowed, &cpus, "{name} may run on every CPU");
    }
}

/// Every thread of this process, with the CPUs it may run on.
#[cfg(target_os = "linux")]
fn threads_and_cpus() -> Vec<(String, Vec<usize>)> {
    let mut threads = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let path = task.path();
        let (Ok(name), Ok(status)) = (
            std::fs::read_to_string(path.join("comm")),
            std::fs::read_to_string(path.join("status")),
        ) else {
            continue; // the thread ended meanwhile
        };
        let list = status
            .lines()
            .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
            .expect("Cpus_allowed_list in /proc status")
            .trim();
        let mut allowed = Vec::new();
        for part in list.split(',') {
            let (first, last) = part.split_once('-').unwrap_or((part, part));
            allowed.extend(first.parse::<usize>().unwrap()..=last.parse::<usize>().unwrap());
        }
        threads.push((name.trim().to_owned(), allowed));
    }
    threads
}
