/// The API client is the registry uploading writes to; it has every call already.
extension GenericPackagesClient: PackageRegistry {}
