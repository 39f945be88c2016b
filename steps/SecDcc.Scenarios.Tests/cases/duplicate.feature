Feature: Duplicates
  Scenario: Same name
    Given a calculator
  Scenario: Same name
    Given a calculator
