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
}

impl Case {
    pub fn request(&self) -> Vec<u8> {
        let mut request = format!(
            "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
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
            "no_valid_rows",
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
