use regression_model::input;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows = input::read_csv_file(std::path::Path::new(&args[1])).unwrap();
    let records: Vec<_> = rows.rows.iter().map(|r| &r.record).collect();
    let body = serde_json::to_vec(&records).unwrap();
    let n: usize = args[2].parse().unwrap();
    let t = std::time::Instant::now();
    let mut s = 0;
    for _ in 0..n {
        s += input::parse_json_batch(&body).unwrap().len();
    }
    eprintln!(
        "{:?} per call ({} bytes), {s}",
        t.elapsed() / n as u32,
        body.len()
    );
}
