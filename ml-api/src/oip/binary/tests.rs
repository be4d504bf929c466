//! Locating and decoding binary tensors.

use super::*;
use crate::oip::outline::Outline;

fn outline(json: &str) -> Outline {
    serde_json::from_str(json).unwrap()
}

fn strings(items: &[&str]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for item in items {
        bytes.extend_from_slice(&(item.len() as u32).to_le_bytes());
        bytes.extend_from_slice(item.as_bytes());
    }
    bytes
}

fn message(result: Result<Vec<Option<Located>>, Error>) -> String {
    match result {
        Err(Error::InvalidInferRequest(message)) => message,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[test]
fn tensors_are_located_in_order_and_decoded_like_json_data() {
    let mut binary = Vec::new();
    binary.extend([1.5f64, f64::NAN].iter().flat_map(|v| v.to_le_bytes()));
    binary.extend(strings(&["RL", ""]));
    binary.extend([-3i32, 7].iter().flat_map(|v| v.to_le_bytes()));
    let tensors = outline(
        r#"{"inputs": [
            {"name": "LotArea", "datatype": "FP64", "shape": [2, 1], "parameters": {"binary_data_size": 16}},
            {"name": "Id", "datatype": "INT64", "shape": [2], "data": [1, 2]},
            {"name": "MSZoning", "datatype": "BYTES", "shape": [2], "parameters": {"binary_data_size": 10}},
            {"name": "YrSold", "datatype": "INT32", "shape": [2], "parameters": {"binary_data_size": 8}}
        ]}"#,
    )
    .inputs;
    let located = locate(&tensors, &binary).unwrap();
    assert_eq!(located[1], None);
    let decoded: Vec<Vec<RawCell>> = [0, 2, 3]
        .iter()
        .map(|&i| cells("x", located[i].as_ref().unwrap(), &binary).unwrap())
        .collect();
    assert_eq!(decoded[0], [RawCell::Number(1.5), RawCell::Missing]);
    assert_eq!(decoded[1], [RawCell::Text("RL".into()), RawCell::Missing]);
    assert_eq!(decoded[2], [RawCell::Number(-3.0), RawCell::Number(7.0)]);
}

#[test]
fn a_size_past_the_end_of_the_body_is_refused() {
    let tensors = outline(
        r#"{"inputs": [{"name": "LotArea", "datatype": "FP64", "shape": [1], "parameters": {"binary_data_size": 8}}]}"#,
    )
    .inputs;
    let message = message(locate(&tensors, &[0; 4]));
    assert!(
        message.contains("runs past the end of the body"),
        "{message}"
    );
}

#[test]
fn a_byte_count_that_disagrees_with_shape_and_datatype_is_refused() {
    let tensors = outline(
        r#"{"inputs": [{"name": "LotArea", "datatype": "FP32", "shape": [3], "parameters": {"binary_data_size": 8}}]}"#,
    )
    .inputs;
    let message = message(locate(&tensors, &[0; 8]));
    assert!(
        message.contains("times 4 (bytes per FP32 value)"),
        "{message}"
    );
}

#[test]
fn a_huge_or_open_shape_is_refused_without_reading_values() {
    for shape in ["[4294967296, 4294967296]", "[-1]", "[9223372036854775807]"] {
        let tensors = outline(&format!(
            r#"{{"inputs": [{{"name": "LotArea", "datatype": "FP64", "shape": {shape}, "parameters": {{"binary_data_size": 8}}}}]}}"#
        ))
        .inputs;
        let message = message(locate(&tensors, &[0; 8]));
        assert!(message.contains("`LotArea`"), "{shape}: {message}");
        assert!(!message.contains("4294967296"), "{shape}: {message}");
    }
}

#[test]
fn bytes_elements_must_tile_the_size_and_match_the_shape() {
    let tensors = |count: usize, size: usize| {
        outline(&format!(
            r#"{{"inputs": [{{"name": "MSZoning", "datatype": "BYTES", "shape": [{count}], "parameters": {{"binary_data_size": {size}}}}}]}}"#
        ))
        .inputs
    };
    let two = strings(&["RL", "RM"]);
    assert!(locate(&tensors(2, two.len()), &two).is_ok());
    // One element too many, one too few, a length prefix past the end.
    assert!(locate(&tensors(1, two.len()), &two).is_err());
    assert!(locate(&tensors(3, two.len()), &two).is_err());
    let mut broken = two.clone();
    broken[0] = 200;
    assert!(locate(&tensors(2, broken.len()), &broken).is_err());
}

#[test]
fn sizes_must_add_up_to_the_binary_section() {
    let tensors = outline(
        r#"{"inputs": [{"name": "LotArea", "datatype": "FP64", "shape": [1], "parameters": {"binary_data_size": 8}}]}"#,
    )
    .inputs;
    let message = message(locate(&tensors, &[0; 12]));
    assert!(message.contains("12 bytes of binary data"), "{message}");
}

#[test]
fn an_unknown_or_missing_datatype_is_refused_and_named_clipped() {
    let unknown = outline(&format!(
        r#"{{"inputs": [{{"name": "LotArea", "datatype": "FP16{}", "shape": [1], "parameters": {{"binary_data_size": 2}}}}]}}"#,
        "x".repeat(500)
    ))
    .inputs;
    let message = message(locate(&unknown, &[0; 2]));
    assert!(message.contains("cannot be read as binary"), "{message}");
    assert!(message.len() < 300, "{message}");
    let none = outline(
        r#"{"inputs": [{"name": "LotArea", "shape": [1], "parameters": {"binary_data_size": 8}}]}"#,
    )
    .inputs;
    assert!(message_of(none).contains("without a `datatype`"));
}

fn message_of(tensors: Vec<crate::oip::outline::TensorOutline>) -> String {
    message(locate(&tensors, &[0; 8]))
}

#[test]
fn signed_integers_are_sign_extended_and_bools_stay_bools() {
    let located = |element, count, width| Located {
        element,
        range: 0..count * width,
        count,
    };
    let int8 = cells(
        "x",
        &located(Element::Fixed(Fixed::Signed(1)), 2, 1),
        &[0xff, 0x05],
    )
    .unwrap();
    assert_eq!(int8, [RawCell::Number(-1.0), RawCell::Number(5.0)]);
    let uint16 = cells(
        "x",
        &located(Element::Fixed(Fixed::Unsigned(2)), 1, 2),
        &[0xff, 0xff],
    )
    .unwrap();
    assert_eq!(uint16, [RawCell::Number(65535.0)]);
    let bools = cells("x", &located(Element::Fixed(Fixed::Bool), 2, 1), &[0, 1]).unwrap();
    assert_eq!(bools, [RawCell::Bool(false), RawCell::Bool(true)]);
}

#[test]
fn bytes_that_are_not_utf8_are_refused_naming_the_element() {
    let bytes = strings(&["ok"])
        .into_iter()
        .chain([1, 0, 0, 0, 0xff])
        .collect::<Vec<u8>>();
    let place = Located {
        element: Element::Bytes,
        range: 0..bytes.len(),
        count: 2,
    };
    let error = cells("MSZoning", &place, &bytes).unwrap_err().to_string();
    assert!(error.contains("element 1 is not UTF-8"), "{error}");
}
