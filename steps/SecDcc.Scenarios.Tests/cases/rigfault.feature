Feature: Rig faults
  Scenario: A port does not answer
    Given a calculator
    When the device port does not answer
    Then the total is 0
  Scenario: A step is pending
    Given a pending step
