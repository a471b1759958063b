//! API errors: every library error is mapped to a status here, in one place.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::search::BadRequest;

/// An error answer: `{"error": "..."}` with a 4xx status for client mistakes and a generic 500
/// (with the cause logged) for internal failures.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// A 400 with a message for the client.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// A 404 with a message for the client.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// A 500; the cause is logged, the client sees a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "request failed");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".to_string(),
        }
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message the client sees.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<BadRequest> for ApiError {
    fn from(error: BadRequest) -> ApiError {
        ApiError::bad_request(error.0)
    }
}

impl From<index::Error> for ApiError {
    fn from(error: index::Error) -> ApiError {
        match error {
            index::Error::InvalidQuery(message) => {
                ApiError::bad_request(format!("invalid query: {message}"))
            }
            index::Error::InvalidRequest(message) => ApiError::bad_request(message),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({ "error": self.message }));
        (self.status, body).into_response()
    }
}
