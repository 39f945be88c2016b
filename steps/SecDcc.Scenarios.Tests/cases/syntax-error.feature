Feature: Broken
  Scenario: Fine so far
    Given a calculator
  | orphan | table |
  This line is not Gherkin
