//! The shapes. Each is built here, at its full size, rather than stored:
//! several are 8 MB.

/// The default `MAX_BODY_BYTES`.
const EIGHT_MIB: usize = 8 * 1024 * 1024;

pub struct Case {
    pub name: &'static str,
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// The error code the answer must carry, when the shape has one.
    pub expect_code: Option<&'static str>,
    /// Strings of the body that must not come back.
    pub never_echoed: &'static [&'static str],
    /// One more header (the OIP binary extension's header length).
    pub header: Option<(&'static str, String)>,
}

impl Case {
    pub fn request(&self) -> Vec<u8> {
        let header = (self.header.as_ref())
            .map(|(name, value)| format!("{name}: {value}\r\n"))
            .unwrap_or_default();
        let mut request = format!(
            "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {}\r\nContent-Length: {}\r\n{header}Connection: close\r\n\r\n",
            self.path,
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        request.extend_from_slice(&self.body);
        request
    }
}

const PREDICT: &str = "/v1/predict/regression";
const INFER: &str = "/v2/models/regression-model/infer";
const EXPLAIN: &str = "/v1/explain/regression";

/// What no response may hold: a value sent (`SENTINEL` marks them), or
/// more than 64 characters of an unknown name (`kkkk…`), which a response
/// quotes clipped.
const NEVER_ECHOED: &[&str] = &[
    "SENTINEL",
    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
];

fn json(name: &'static str, body: String, code: &'static str) -> Case {
    Case {
        name,
        path: PREDICT,
        content_type: "application/json",
        body: body.into_bytes(),
        expect_code: Some(code),
        never_echoed: NEVER_ECHOED,
        header: None,
    }
}

fn csv(name: &'static str, body: String, code: &'static str) -> Case {
    Case {
        content_type: "text/csv",
        ..json(name, body, code)
    }
}

fn infer(name: &'static str, body: String) -> Case {
    Case {
        path: INFER,
        expect_code: None,
        ..json(name, body, "")
    }
}

/// One valid house, for checking the server still prices after the corpus.
pub fn valid_request() -> Vec<u8> {
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/requests/one-house.json"
    ))
    .expect("the one-house fixture");
    Case {
        body: body.into_bytes(),
        ..json("valid", String::new(), "")
    }
    .request()
}

/// The name of the case of empty records.
pub const EMPTY_RECORDS: &str = "json: 10,000 empty records in 8 MiB";

/// Repeats `unit` until the text is about `bytes` long.
fn fill(bytes: usize, unit: &str) -> String {
    unit.repeat(bytes / unit.len())
}

pub fn all() -> Vec<Case> {
    let mut cases = vec![
        // The two shapes of the issue.
        csv(
            "csv: 800 unknown columns x 10,000 empty rows",
            {
                let header: Vec<String> = (0..800).map(|i| format!("k{i}")).collect();
                let row = ",".repeat(799);
                format!(
                    "{}\n{}",
                    header.join(","),
                    format!("{row}\n").repeat(10_000)
                )
            },
            "no_valid_rows",
        ),
        json(
            "json: one record of 700,000 unknown keys",
            format!(
                "[{{{}\"k\":\"SENTINEL\"}}]",
                (0..700_000)
                    .map(|i| format!("\"{i}\":0,"))
                    .collect::<String>()
            ),
            "no_valid_rows",
        ),
        // An error per cell, in every form.
        json(
            "json: 10,000 records, text in every number",
            format!(
                "[{}{{}}]",
                fill(
                    EIGHT_MIB - 100_000,
                    r#"{"LotArea":"SENTINEL","GrLivArea":"x","YearBuilt":"y","OverallQual":"z"},"#
                )
                .split_inclusive("},")
                .take(9_999)
                .collect::<String>()
            ),
            "no_valid_rows",
        ),
        csv(
            "csv: 10,000 rows of text in number columns",
            format!(
                "LotArea,GrLivArea,YearBuilt,OverallQual,1stFlrSF,2ndFlrSF\n{}",
                "SENTINEL,a,b,c,d,e\n".repeat(10_000)
            ),
            "no_valid_rows",
        ),
        csv(
            "csv: 10,000 rows of the wrong width",
            format!(
                "LotArea,GrLivArea\n{}",
                "1,2,3,4,5,6,7,8,9\n".repeat(10_000)
            ),
            // The model crate stops after 100 rows that do not match the
            // header: the body is not CSV of that header at all.
            "malformed_csv",
        ),
        json(
            "json: one key repeated 600,000 times",
            format!("{{{}\"LotArea\":1}}", r#""LotArea":1,"#.repeat(600_000)),
            "no_valid_rows",
        ),
        json(
            "json: a 4 MB unknown key",
            format!("{{\"{}\":\"SENTINEL\"}}", "k".repeat(4_000_000)),
            "no_valid_rows",
        ),
        json(
            "json: control characters in keys and values",
            format!(
                "[{}{{}}]",
                "{\"\\u001b[31mkey\\r\\n\":\"SENTINEL\\u0000\\r\\nINFO forged line\"},"
                    .repeat(9_000)
            ),
            "no_valid_rows",
        ),
        json(
            "json: 8 MB string value",
            format!("{{\"Street\":\"SENTINEL{}\"}}", "s".repeat(EIGHT_MIB - 100)),
            "no_valid_rows",
        ),
        json(
            "json: nested 100,000 deep",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            "malformed_json",
        ),
        // Every input missing: a model that imputes must answer each with
        // one error, not a price listing 70 fallbacks (see main.rs, which
        // also sends it to such a model).
        json(
            EMPTY_RECORDS,
            format!(
                "[{}{{}}]",
                format!("{{}},{}", " ".repeat(EIGHT_MIB / 10_000 - 3)).repeat(9_999)
            ),
            "no_valid_rows",
        ),
        json(
            "json: 1,000,000 empty records",
            format!("[{}{{}}]", "{},".repeat(999_999)),
            "too_many_rows",
        ),
        json(
            "json: not JSON, quoting nothing",
            format!("[{{\"LotArea\": SENTINEL{}", "x".repeat(1_000_000)),
            "malformed_json",
        ),
    ];
    cases.extend(oip_cases());
    cases.extend(binary_cases());
    cases.extend(explain_cases());
    cases
}

/// Explanations answer with a contribution per column and row, so rows
/// past `MAX_EXPLAIN_ROWS` are refused before they are parsed.
fn explain_cases() -> Vec<Case> {
    let explain = |case: Case| Case {
        path: EXPLAIN,
        ..case
    };
    vec![
        explain(json(
            "explain: 1,000,000 empty records",
            format!("[{}{{}}]", "{},".repeat(999_999)),
            "too_many_rows",
        )),
        explain(csv(
            "explain: 10,000 rows of text in number columns",
            format!(
                "LotArea,GrLivArea,YearBuilt,OverallQual\n{}",
                "SENTINEL,a,b,c\n".repeat(10_000)
            ),
            "too_many_rows",
        )),
        explain(json(
            "explain: 100 records, text in every number",
            format!(
                "[{}{{}}]",
                r#"{"LotArea":"SENTINEL","GrLivArea":"x","YearBuilt":"y","OverallQual":"z"},"#
                    .repeat(99)
            ),
            "no_valid_rows",
        )),
    ]
}

/// A binary-extension infer request: the JSON `header` (its length in
/// `Inference-Header-Content-Length`, or `claimed` when given), then `raw`.
fn binary(name: &'static str, header: String, raw: Vec<u8>, claimed: Option<usize>) -> Case {
    let length = claimed.unwrap_or(header.len());
    let mut body = header.into_bytes();
    body.extend(raw);
    Case {
        content_type: "application/octet-stream",
        header: Some(("Inference-Header-Content-Length", length.to_string())),
        body,
        ..infer(name, String::new())
    }
}

/// One binary tensor's JSON header (`SENTINEL` in a parameter it ignores).
fn binary_header(name: &str, datatype: &str, shape: &str, size: usize) -> String {
    format!(
        r#"{{"inputs":[{{"name":"{name}","datatype":"{datatype}","shape":{shape},"parameters":{{"binary_data_size":{size},"x":"SENTINEL"}}}}]}}"#
    )
}

/// Binary tensor data that lies about its size.
fn binary_cases() -> Vec<Case> {
    let size = EIGHT_MIB - 4096;
    vec![
        binary(
            "oip binary: 2,000,000 empty BYTES elements",
            binary_header("MSZoning", "BYTES", "[2000000]", 8_000_000),
            vec![0; 8_000_000],
            None,
        ),
        binary(
            "oip binary: 1,000,000 FP64 values",
            binary_header("LotArea", "FP64", "[1000000]", 8_000_000),
            b"SENTINEL".repeat(1_000_000),
            None,
        ),
        binary(
            "oip binary: 8 MiB claiming a billion rows",
            binary_header("LotArea", "FP64", "[1000000000]", size),
            vec![b'S'; size],
            None,
        ),
        binary(
            "oip binary: a header length past the body",
            binary_header("LotArea", "FP64", "[1]", 8),
            b"SENTINEL".to_vec(),
            Some(EIGHT_MIB),
        ),
        binary(
            "oip binary: length prefixes past their tensor",
            binary_header("MSZoning", "BYTES", "[2000000]", size),
            [u32::MAX.to_le_bytes().to_vec(), vec![b'S'; size - 4]].concat(),
            None,
        ),
    ]
}

/// Open Inference Protocol requests that lie about their size.
fn oip_cases() -> Vec<Case> {
    vec![
        infer(
            "oip: a shape of a billion rows",
            r#"{"inputs":[{"name":"LotArea","datatype":"FP64","shape":[1000000000],"data":[1,2,3]}]}"#
                .into(),
        ),
        infer(
            "oip: tensors of different lengths",
            format!(
                r#"{{"inputs":[{{"name":"LotArea","datatype":"FP64","shape":[-1],"data":[{}1]}},{{"name":"GrLivArea","datatype":"FP64","shape":[1],"data":[1]}}]}}"#,
                "1,".repeat(1_000_000)
            ),
        ),
        infer(
            "oip: 2,000,000 values in one tensor",
            format!(
                r#"{{"inputs":[{{"name":"LotArea","datatype":"FP64","shape":[2000000],"data":[{}1]}}]}}"#,
                "1,".repeat(1_999_999)
            ),
        ),
        infer(
            "oip: 60,000 unknown tensors",
            format!(
                r#"{{"inputs":[{}{{"name":"LotArea","datatype":"FP64","shape":[1],"data":[1]}}]}}"#,
                r#"{"name":"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk","datatype":"FP64","shape":[1],"data":["SENTINEL"]},"#.repeat(60_000)
            ),
        ),
    ]
}
