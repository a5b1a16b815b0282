//! The official SDKs: naming rules from operationId to method/cmdlet/class, and the index from
//! SDK names back to catalog operations.
