Feature: Undefined
  Scenario: A step with no binding
    Given a calculator
    When I frobnicate the "thing" 42 times
    Then the total is 0
