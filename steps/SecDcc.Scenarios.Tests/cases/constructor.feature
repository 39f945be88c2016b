Feature: A binding that cannot be built
  Scenario: The constructor throws
    Given a step whose class cannot be built
