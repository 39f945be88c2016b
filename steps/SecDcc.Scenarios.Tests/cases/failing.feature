Feature: Failing
  Scenario: The second step fails
    Given a calculator
    When I add 1 and 1
    Then the total is 3
    And the total is 2
