//! The request mix and what each answer must be. Valid predictions are
//! checked price by price against both models, computed here with the
//! library (not by asking the server).

use std::collections::HashMap;

use regression_model::{HouseRecord, TrainedModel};
use serde_json::{Value, json};

use crate::http::{Request, Response};

/// What was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    JsonOne,
    JsonBatch,
    Csv,
    Oip,
    Malformed,
    NoValidRows,
    WrongType,
    Oversized,
    TooDeep,
    UnknownRoute,
    Health,
    Metrics,
}

/// The mix, in percent.
pub const MIX: &[(Kind, u32)] = &[
    (Kind::JsonOne, 40),
    (Kind::JsonBatch, 10),
    (Kind::Csv, 10),
    (Kind::Oip, 10),
    (Kind::Malformed, 5),
    (Kind::NoValidRows, 5),
    (Kind::WrongType, 3),
    (Kind::Oversized, 2),
    (Kind::TooDeep, 2),
    (Kind::UnknownRoute, 3),
    (Kind::Health, 5),
    (Kind::Metrics, 5),
];

impl Kind {
    pub fn is_prediction(self) -> bool {
        matches!(
            self,
            Kind::JsonOne | Kind::JsonBatch | Kind::Csv | Kind::Oip
        )
    }

    fn expected_status(self) -> u16 {
        match self {
            Kind::Malformed | Kind::TooDeep => 400,
            Kind::NoValidRows => 422,
            Kind::WrongType => 415,
            Kind::Oversized => 413,
            Kind::UnknownRoute => 404,
            _ => 200,
        }
    }
}

/// Every prediction request the mix can send, by kind and first record,
/// with each model's `(Id, price)` answers for exactly that batch
/// (prices can differ in the last bits between batch sizes).
pub struct Expected {
    pub answers: HashMap<(Kind, usize), HashMap<String, Prices>>,
}

/// `(Id, price)` per record of a request, in order.
pub type Prices = Vec<(i64, f64)>;

/// The verdict on one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Right { version: Option<String> },
    Wrong(String),
}

pub struct Cases {
    records: Vec<HouseRecord>,
    csv_header: String,
    csv_lines: HashMap<i64, String>,
    pub expected: Expected,
    oversized: Vec<u8>,
}

impl Cases {
    /// Keeps the fixture records that both models predict.
    pub fn new(csv: &str, models: [&TrainedModel; 2], oversized_bytes: usize) -> Cases {
        let parsed = regression_model::read_csv(csv.as_bytes()).expect("fixture CSV");
        let records: Vec<HouseRecord> = parsed.rows.into_iter().map(|r| r.record).collect();
        let mut prices: HashMap<String, HashMap<i64, f64>> = HashMap::new();
        let mut predicted_by_both: Option<Vec<i64>> = None;
        for model in models {
            let response = model.predict(&records);
            let by_id: HashMap<i64, f64> = response
                .predictions
                .iter()
                .filter_map(|p| Some((p.id?, p.price)))
                .collect();
            let ids: Vec<i64> = by_id.keys().copied().collect();
            predicted_by_both = Some(match predicted_by_both {
                None => ids,
                Some(before) => before
                    .into_iter()
                    .filter(|id| by_id.contains_key(id))
                    .collect(),
            });
            prices.insert(response.version.clone(), by_id);
        }
        let keep = predicted_by_both.unwrap_or_default();
        let records: Vec<HouseRecord> = records
            .into_iter()
            .filter(|r| r.id.is_some_and(|id| keep.contains(&id)))
            .collect();
        assert!(
            records.len() >= 10,
            "too few records predicted by both models"
        );
        let mut lines = csv.lines();
        let csv_header = lines.next().unwrap_or_default().to_owned();
        let csv_lines = lines
            .filter_map(|l| Some((l.split(',').next()?.parse().ok()?, l.to_owned())))
            .collect();
        let oversized = format!("[{}]", " ".repeat(oversized_bytes)).into_bytes();
        let mut answers = HashMap::new();
        for kind in [Kind::JsonOne, Kind::JsonBatch, Kind::Csv, Kind::Oip] {
            for start in 0..records.len() {
                let batch: Vec<HouseRecord> = (0..batch_size(kind))
                    .map(|i| records[(start + i) % records.len()].clone())
                    .collect();
                let by_model = models
                    .iter()
                    .map(|model| {
                        let response = model.predict(&batch);
                        let prices = response
                            .predictions
                            .iter()
                            .map(|p| (p.id.unwrap_or_default(), p.price))
                            .collect();
                        (response.version, prices)
                    })
                    .collect();
                answers.insert((kind, start), by_model);
            }
        }
        Cases {
            records,
            csv_header,
            csv_lines,
            expected: Expected { answers },
            oversized,
        }
    }

    /// The request of `kind`, varied by `n`.
    pub fn request(&self, kind: Kind, n: usize) -> Request {
        let json = "application/json";
        let record = |i: usize| &self.records[(n % self.records.len() + i) % self.records.len()];
        let predict = "/v1/predict/regression";
        match kind {
            Kind::JsonOne => Request::post(predict, Some(json), to_vec(&[record(0)])),
            Kind::JsonBatch => Request::post(
                predict,
                Some(json),
                to_vec(&[record(0), record(1), record(2)]),
            ),
            Kind::Csv => {
                let line = |i| self.csv_lines[&record(i).id.unwrap_or_default()].clone();
                let body = format!("{}\n{}\n{}\n", self.csv_header, line(0), line(1));
                Request::post(predict, Some("text/csv"), body.into_bytes())
            }
            Kind::Oip => {
                let row = serde_json::to_value(record(0)).unwrap_or_default();
                let inputs: Vec<Value> = row
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, value)| json!({"name": name, "shape": [1], "data": [value]}))
                    .collect();
                let body = json!({ "id": format!("soak-{n}"), "inputs": inputs }).to_string();
                Request::post(
                    "/v2/models/regression-model/infer",
                    Some(json),
                    body.into_bytes(),
                )
            }
            Kind::Malformed => Request::post(predict, Some(json), b"[{\"GrLivArea\": 12".to_vec()),
            Kind::NoValidRows => {
                let mut row = serde_json::to_value(record(0)).unwrap_or_default();
                row["GrLivArea"] = json!(-1);
                Request::post(predict, Some(json), json!([row]).to_string().into_bytes())
            }
            Kind::WrongType => Request::post(predict, Some("text/plain"), b"hello".to_vec()),
            Kind::Oversized => Request::post(predict, Some(json), self.oversized.clone()),
            Kind::TooDeep => {
                let body = format!("{}{}", "[".repeat(64), "]".repeat(64));
                Request::post(predict, Some(json), body.into_bytes())
            }
            Kind::UnknownRoute => Request::get(&format!("/v1/nothing/{n}")),
            Kind::Health => Request::get("/health"),
            Kind::Metrics => Request::get("/metrics"),
        }
    }

    /// Checks an answer: the status for its kind, and for predictions every
    /// price against the model whose version the answer names.
    pub fn verify(&self, kind: Kind, n: usize, request: &Request, response: &Response) -> Verdict {
        if response.status != kind.expected_status() {
            return Verdict::Wrong(format!("{kind:?}: status {}", response.status));
        }
        if !kind.is_prediction() {
            return Verdict::Right { version: None };
        }
        let (Ok(answer), Ok(sent)) = (
            serde_json::from_slice::<Value>(&response.body),
            serde_json::from_slice::<Value>(&request.body).or_else(|_| csv_ids(&request.body)),
        ) else {
            return Verdict::Wrong(format!("{kind:?}: not JSON"));
        };
        let version = match kind {
            Kind::Oip => answer["model_version"].as_str(),
            _ => answer["version"].as_str(),
        }
        .unwrap_or_default()
        .to_owned();
        let start = n % self.records.len();
        let Some(expected) = self
            .expected
            .answers
            .get(&(kind, start))
            .and_then(|by_model| by_model.get(&version))
        else {
            return Verdict::Wrong(format!("{kind:?}: unknown model version `{version}`"));
        };
        let got: Vec<(i64, f64)> = match kind {
            Kind::Oip => {
                let id = sent["inputs"]
                    .as_array()
                    .and_then(|inputs| inputs.iter().find(|t| t["name"] == "Id"))
                    .and_then(|t| t["data"][0].as_i64())
                    .unwrap_or_default();
                vec![(
                    id,
                    answer["outputs"][0]["data"][0].as_f64().unwrap_or(f64::NAN),
                )]
            }
            _ => answer["predictions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let id = p["id"].as_i64().unwrap_or_default();
                    (id, p["price"].as_f64().unwrap_or(f64::NAN))
                })
                .collect(),
        };
        let ids = sent_ids(&sent);
        if got.iter().map(|(id, _)| *id).collect::<Vec<_>>() != ids {
            return Verdict::Wrong(format!("{kind:?}: answered ids {got:?} for {ids:?}"));
        }
        // Exact: the service must answer what the library computes.
        if &got != expected {
            return Verdict::Wrong(format!(
                "{kind:?}: got {got:?}, model {version} gives {expected:?}"
            ));
        }
        Verdict::Right {
            version: Some(version),
        }
    }
}

/// Records per request of each prediction kind.
fn batch_size(kind: Kind) -> usize {
    match kind {
        Kind::JsonBatch => 3,
        Kind::Csv => 2,
        _ => 1,
    }
}

fn to_vec(records: &[&HouseRecord]) -> Vec<u8> {
    serde_json::to_vec(records).unwrap_or_default()
}

/// A CSV body's ids, as a JSON list of `{"Id": n}`.
fn csv_ids(body: &[u8]) -> Result<Value, ()> {
    let text = std::str::from_utf8(body).map_err(|_| ())?;
    let ids: Vec<Value> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next()?.parse::<i64>().ok())
        .map(|id| json!({ "Id": id }))
        .collect();
    Ok(Value::Array(ids))
}

fn sent_ids(sent: &Value) -> Vec<i64> {
    match sent {
        Value::Array(records) => records.iter().filter_map(|r| r["Id"].as_i64()).collect(),
        Value::Object(_) => sent["inputs"]
            .as_array()
            .and_then(|inputs| inputs.iter().find(|t| t["name"] == "Id"))
            .and_then(|t| t["data"][0].as_i64())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}
