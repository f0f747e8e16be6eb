//! Chain tests: one binary, one module per topic.
