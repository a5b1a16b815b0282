//! Structured request formats: ISC workflow exports, Postman collections, `.http` files.
