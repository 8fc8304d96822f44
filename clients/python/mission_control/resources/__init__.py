"""The client's resources, one module per feature, mirroring packages/sdk/src/resources."""
