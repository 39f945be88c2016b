@hooks
Feature: Hooks
  @tagged
  Scenario: Tagged scenario
    Given a calculator
    And evidence is attached
  Scenario: Untagged scenario
    Given a calculator
  Scenario: Failing scenario
    Given a calculator
    And a pending step
