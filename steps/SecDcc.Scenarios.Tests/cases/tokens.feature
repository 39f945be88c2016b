Feature: Tokens and silent benches
  Scenario: A step receives the run's cancellation token
    When the step waits on the run's token
  Scenario: A binding whose constructor finds the bench silent
    Given a step whose bench is silent
