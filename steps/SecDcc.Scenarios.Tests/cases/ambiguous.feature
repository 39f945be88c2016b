Feature: Ambiguous
  Scenario: A step two bindings match
    Given a step that two bindings claim
    Then the total is 0
