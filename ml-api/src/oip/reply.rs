//! `infer`'s answer on the wire: JSON, or the binary tensor data extension
//! (a JSON header whose `price` tensor gives a `binary_data_size` instead
//! of `data`, then the prices as little-endian FP64, with the header's
//! length in `Inference-Header-Content-Length`).

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use serde::Serialize;

use super::InferResponse;
use super::binary::{HEADER, encode_prices};

/// The JSON header of a binary answer.
#[derive(Serialize)]
struct Header<'a> {
    model_name: &'static str,
    model_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    outputs: [BinaryOutput; 1],
}

#[derive(Serialize)]
struct BinaryOutput {
    name: &'static str,
    datatype: &'static str,
    shape: [usize; 1],
    parameters: Sizes,
}

#[derive(Serialize)]
struct Sizes {
    binary_data_size: usize,
}

/// 200 with the response, in binary when `binary`.
pub fn reply(response: &InferResponse, binary: bool) -> HttpResponse {
    if !binary {
        return HttpResponse::Ok().json(response);
    }
    let [output] = &response.outputs;
    let prices = encode_prices(&output.data);
    let header = Header {
        model_name: response.model_name,
        model_version: &response.model_version,
        id: response.id.as_deref(),
        outputs: [BinaryOutput {
            name: output.name,
            datatype: output.datatype,
            shape: output.shape,
            parameters: Sizes {
                binary_data_size: prices.len(),
            },
        }],
    };
    let mut body = match serde_json::to_vec(&header) {
        Ok(json) => json,
        // Plain strings and numbers always serialise; answer in JSON if not.
        Err(_) => return HttpResponse::Ok().json(response),
    };
    let json_length = body.len();
    body.extend_from_slice(&prices);
    HttpResponse::Ok()
        .content_type(ContentType::octet_stream())
        .insert_header((HEADER, json_length.to_string()))
        .body(body)
}
