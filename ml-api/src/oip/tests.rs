//! The request side of OIP infer: JSON and binary tensors into rows.

use super::*;

#[test]
fn column_tensors_become_rows_by_position() {
    let request = InferRequest::parse(
        br#"{"inputs": [
                {"name": "Id", "shape": [2], "datatype": "INT64", "data": [7, 8]},
                {"name": "MSZoning", "shape": [2], "datatype": "BYTES", "data": ["RL", null]}
            ]}"#,
        32,
    )
    .unwrap();
    let rows = request.into_rows(10).unwrap().rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].record.id, Some(8));
    assert_eq!(rows[0].record.ms_zoning.as_deref(), Some("RL"));
    assert_eq!(rows[1].record.ms_zoning, None);
}

#[test]
fn tensors_of_different_lengths_are_an_invalid_request() {
    let request = InferRequest::parse(
        br#"{"inputs": [{"name": "Id", "data": [1, 2]}, {"name": "MSZoning", "data": ["RL"]}]}"#,
        32,
    )
    .unwrap();
    let error = request.into_rows(10).unwrap_err();
    assert!(matches!(error, Error::InvalidInferRequest(_)), "{error}");
}

#[test]
fn a_shape_that_disagrees_with_the_data_is_an_invalid_request() {
    let request = InferRequest::parse(
        br#"{"inputs": [{"name": "Id", "shape": [3], "data": [1, 2]}]}"#,
        32,
    )
    .unwrap();
    assert!(matches!(
        request.into_rows(10),
        Err(Error::InvalidInferRequest(_))
    ));
}

#[test]
fn a_shape_whose_product_overflows_is_an_invalid_request() {
    let request = InferRequest::parse(
        br#"{"inputs": [{"name": "Id", "shape": [4294967296, 4294967296], "data": [1]}]}"#,
        32,
    )
    .unwrap();
    assert!(matches!(
        request.into_rows(10),
        Err(Error::InvalidInferRequest(_))
    ));
}

#[test]
fn an_unknown_tensor_refuses_the_request_naming_it_clipped() {
    let name = format!("Nope{}", "x".repeat(500));
    let body = format!(
        r#"{{"inputs": [
                {{"name": "Id", "data": [1, 2, 3]}},
                {{"name": "{name}", "data": [{{"deep": [1]}}, "x", 7]}}
            ]}}"#
    );
    let request = InferRequest::parse(body.as_bytes(), 32).unwrap();
    let Err(Error::InvalidInferRequest(message)) = request.into_rows(10) else {
        panic!("an unknown tensor is refused");
    };
    assert!(message.contains("`Nopexxx"), "{message}");
    assert!(message.len() < 200, "{message}");
}

#[test]
fn other_model_names_are_unknown() {
    assert!(check_name(MODEL_NAME).is_ok());
    assert!(matches!(check_name("resnet"), Err(Error::UnknownModel(_))));
}
