import Testing

@testable import ReleaseLinkerCore

@Suite struct JobIdentifierTests {
  @Test(arguments: ["1", "688", "123456789012"])
  func aNumberIsAJobID(value: String) throws {
    #expect(try JobIdentifier.checked(value, named: "--job-id") == value)
  }

  @Test(arguments: [
    ("", "--job-id is empty"), ("abc", "not 'abc'"), ("12 ", "not '12 '"), ("-1", "quote it"),
    ("--prune", "quote it"), ("１２", "not '１２'"),
  ])
  func anythingElseIsAUsageErrorNamingTheFlag(value: String, sentence: String) {
    #expect {
      try JobIdentifier.checked(value, named: "--job-id")
    } throws: { error in
      (error as? UsageError)?.message.contains(sentence) == true
    }
  }
}
