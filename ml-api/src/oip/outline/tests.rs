//! The outline pass: counts, shapes, parse errors without values.

use super::*;

fn outline(text: &str) -> Outline {
    serde_json::from_str(text).unwrap()
}

#[test]
fn values_are_counted_and_shapes_multiplied_without_keeping_them() {
    let outline =
        outline(r#"{"inputs": [{"name": "Id", "shape": [2, 1], "data": [1, [2, {"a": 3}]]}]}"#);
    assert_eq!(outline.inputs[0].data, Some(Count(2)));
    assert_eq!(outline.check(&[], 10).unwrap(), 2);
}

#[test]
fn a_negative_dimension_admits_any_count_and_an_overflow_admits_none() {
    let any = outline(r#"{"inputs": [{"name": "Id", "shape": [-1], "data": [1, 2, 3]}]}"#);
    assert_eq!(any.check(&[], 10).unwrap(), 3);
    let overflow =
        outline(r#"{"inputs": [{"name": "Id", "shape": [4294967296, 4294967296], "data": [1]}]}"#);
    assert!(matches!(
        overflow.check(&[], 10),
        Err(Error::InvalidInferRequest(_))
    ));
}

#[test]
fn rows_past_the_limit_are_refused_before_any_value_is_read() {
    let many = format!(
        r#"{{"inputs": [{{"name": "Id", "data": [{}0]}}]}}"#,
        "0,".repeat(20)
    );
    assert!(matches!(
        outline(&many).check(&[], 20),
        Err(Error::TooManyRows {
            rows: 21,
            limit: 20
        })
    ));
}

#[test]
fn a_name_given_twice_is_refused_and_named_escaped() {
    let twice =
        outline(r#"{"inputs": [{"name": "Id\n", "data": [1]}, {"name": "Id\n", "data": [2]}]}"#);
    let message = twice.check(&[], 10).unwrap_err().to_string();
    assert!(
        message.contains("`Id\\n` appears more than once"),
        "{message}"
    );
}

fn parse_message(text: &str) -> String {
    let error = serde_json::from_str::<Outline>(text).unwrap_err();
    parse_error(&error).to_string()
}

#[test]
fn parse_errors_keep_the_rule_and_drop_the_value() {
    let message = parse_message(r#"{"inputs": [{"name": "Id", "shape": ["secret"], "data": []}]}"#);
    assert!(
        message.contains("invalid type: string, expected i64"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
    let message = parse_message(r#"{"inputs": [{"name": 12345, "data": []}]}"#);
    assert!(message.contains("invalid type: integer"), "{message}");
    assert!(!message.contains("12345"), "{message}");
    let message = parse_message(r#"{"inputs": [{"data": []}]}"#);
    assert!(message.contains("missing field `name`"), "{message}");
    let message = parse_message(r#"{"inputs": [{"name": "Id", "data": [1]"#);
    assert!(message.starts_with("the body is not JSON"), "{message}");
}

#[test]
fn errors_name_the_tensor_but_never_repeat_a_value() {
    let shape = outline(r#"{"inputs": [{"name": "LotArea", "shape": [987654], "data": [1]}]}"#);
    let message = shape.check(&[], 10).unwrap_err().to_string();
    assert!(message.contains("`LotArea`"), "{message}");
    assert!(!message.contains("987654"), "{message}");
    let long = "x".repeat(1000);
    let lengths = outline(&format!(
        r#"{{"inputs": [{{"name": "Id", "data": [1]}}, {{"name": "{long}", "data": []}}]}}"#
    ));
    let message = lengths.check(&[], 10).unwrap_err().to_string();
    assert!(message.len() < 300, "{message}");
}

#[test]
fn an_id_up_to_the_limit_is_kept_and_a_longer_one_is_refused_by_name() {
    let with_id = |id: &str| {
        outline(&format!(
            r#"{{"id": "{id}", "inputs": [{{"name": "Id", "data": [1]}}]}}"#
        ))
    };
    let longest = "a".repeat(MAX_ID_BYTES);
    assert_eq!(
        with_id(&longest).checked_id().unwrap().as_deref(),
        Some(&*longest)
    );
    let Err(Error::InvalidInferRequest(message)) = with_id(&format!("{longest}a")).checked_id()
    else {
        panic!("a 257-byte id is accepted");
    };
    assert!(message.starts_with("`id` takes 257 bytes"), "{message}");
}

#[test]
fn a_datatype_outside_the_protocol_is_refused_clipped() {
    let known = outline(r#"{"inputs": [{"name": "Id", "datatype": "INT64", "data": [1]}]}"#);
    assert_eq!(known.check(&[], 10).unwrap(), 1);
    let text = format!(
        r#"{{"inputs": [{{"name": "Id", "datatype": "{}", "data": [1]}}]}}"#,
        "X".repeat(100_000)
    );
    let message = outline(&text).check(&[], 10).unwrap_err().to_string();
    assert!(
        message.contains("not an Open Inference Protocol datatype"),
        "{message}"
    );
    assert!(message.len() < 1_000, "{} bytes", message.len());
}

#[test]
fn a_dimension_below_minus_one_is_refused_as_the_request_is_read() {
    let message = parse_message(r#"{"inputs": [{"name": "Id", "shape": [-5], "data": [1]}]}"#);
    assert!(
        message.contains("expected a dimension of -1 (any) or at least 0"),
        "{message}"
    );
    assert!(!message.contains("-5"), "{message}");
}
