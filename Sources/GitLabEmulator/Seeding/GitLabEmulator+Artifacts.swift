extension GitLabEmulator {
  /// A CI job known by name and ref. The by-ref artifact URLs
  /// (`<project>/-/jobs/artifacts/REF/raw/PATH?job=NAME` and its API twin) resolve to the newest
  /// successful job of that name on that ref; give the job its archive with `setArtifacts`.
  public func addJob(
    projectID: Int, jobID: Int, name: String, ref: String, status: JobStatus = .success
  ) {
    core.state.withLock {
      $0.jobs[JobKey(projectID: projectID, jobID: jobID)] = JobRecord(
        id: jobID, name: name, ref: ref, status: status)
    }
  }

  /// The archive `GET /projects/:id/jobs/:job_id/artifacts` serves; when it is a zip, its files
  /// are also served one by one at `<project>/-/jobs/:job_id/artifacts/raw/PATH` and
  /// `GET /projects/:id/jobs/:job_id/artifacts/PATH`.
  public func setArtifacts(projectID: Int, jobID: Int, archive: [UInt8]) {
    core.state.withLock {
      $0.artifacts[JobKey(projectID: projectID, jobID: jobID)] = .bytes(archive)
    }
  }

  /// Serves the archive from a file, read in chunks at each download (for archives too large to
  /// hold in memory).
  public func setArtifacts(projectID: Int, jobID: Int, fileAt path: String) {
    core.state.withLock {
      $0.artifacts[JobKey(projectID: projectID, jobID: jobID)] = .file(path)
    }
  }

  /// Makes `GET /projects/:id/jobs/:job_id/artifacts` answer `302 Found` to `location`, as GitLab
  /// does when artifacts live in object storage. Pair it with `setStorageObject` and a location on
  /// another host name (`http://localhost:PORT/object-storage/NAME` when the emulator listens on
  /// 127.0.0.1) to check that a client never forwards its token across hosts: the request log
  /// shows which credential headers reached the storage route.
  public func setArtifactsRedirect(projectID: Int, jobID: Int, location: String) {
    core.state.withLock {
      $0.artifacts[JobKey(projectID: projectID, jobID: jobID)] = .redirect(location)
    }
  }

  /// An object served without credentials at `/object-storage/NAME` (one path segment), like a
  /// pre-signed bucket URL.
  public func setStorageObject(_ name: String, bytes: [UInt8]) {
    core.state.withLock { $0.storageObjects[name] = bytes }
  }
}
