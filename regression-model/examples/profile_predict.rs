use regression_model::artifact::{TrainedModel, VersionPolicy};
use regression_model::input;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = TrainedModel::load(std::path::Path::new(&args[1]), VersionPolicy::Any).unwrap();
    let rows = input::read_csv_file(std::path::Path::new(&args[2])).unwrap();
    let n: usize = args[3].parse().unwrap();
    let mut rows = rows;
    if let Some(k) = args.get(4) {
        rows.rows.truncate(k.parse().unwrap());
    }
    let t = std::time::Instant::now();
    let mut s = 0.0;
    for _ in 0..n {
        s += model.predict_rows(&rows.rows).predictions.len() as f64;
    }
    eprintln!("{:?} per call, {s}", t.elapsed() / n as u32);
}
