@hooks
Feature: Hooks
  @tagged
  Scenario: Tagged scenario
    Given a calculator
    And evidence is attached
  Scenario: Untagged scenario
    Given a calculator
