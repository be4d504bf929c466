//! Statuses, codes and messages of the error type.

use actix_web::ResponseError;
use regression_model::{FieldError, RejectedRow, RowErrors};

use super::*;

#[test]
fn every_client_mistake_is_a_4xx_and_only_our_faults_are_5xx() {
    assert_eq!(Error::NoRows.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        Error::BodyTooLarge { limit: 1 }.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        Error::MalformedJson("x".into()).status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        Error::Internal("x".into()).status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[test]
fn rejected_rows_are_summarised_by_row_and_field() {
    let errors = vec![
        FieldError {
            row: 0,
            field: "GrLivArea".into(),
            message: "must not be negative".into(),
        },
        FieldError {
            row: 0,
            field: "LotArea".into(),
            message: "must not be negative".into(),
        },
        FieldError {
            row: 2,
            field: "MSZoning".into(),
            message: "is missing".into(),
        },
    ];
    let response = PredictionResponse {
        predictions: Vec::new(),
        version: "0.3.0".into(),
        row_errors: RowErrors {
            errors,
            error_count: 3,
            rejected: vec![
                RejectedRow { row: 0, errors: 2 },
                RejectedRow { row: 2, errors: 1 },
            ],
            ..RowErrors::default()
        },
    };
    let text = Error::RejectedRows {
        rows: 3,
        response: Box::new(response),
    }
    .to_string();
    assert!(
        text.starts_with("2 of 3 rows were rejected: row 0: GrLivArea"),
        "{text}"
    );
}

#[test]
fn an_internal_error_reaches_the_client_without_its_details() {
    let secret = "/srv/models/private.postcard: thread 'main' panicked at src/x.rs:1";
    let response = ApiError::from(Error::Internal(secret.into())).error_response();
    let body = actix_web::body::to_bytes(response.into_body());
    let body = read_body(body);
    assert!(!body.contains("/srv/models"), "{body}");
    assert!(!body.contains("panicked"), "{body}");
    assert!(body.contains("\"internal\""), "{body}");
}

/// Reads a body that is already complete (a JSON error body is).
fn read_body(
    body: impl std::future::Future<Output = Result<actix_web::web::Bytes, impl std::fmt::Debug>>,
) -> String {
    let bytes = actix_web::rt::System::new().block_on(body).unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn clip_marks_where_it_cut() {
    assert_eq!(clip("abcdef", 3), "abc…");
    assert_eq!(clip("abc", 3), "abc");
}
