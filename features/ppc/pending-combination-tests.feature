@H14.36 @PPC-2.5 @PPC-6.10 @PPC-6.11 @PPC-6.12 @PPC-6.13
Feature: SMETS1 Pending Product Combination tests (BEIS consultation 2.5, 6.10–6.13; Section H14.36)
  A SEC Party or other Testing Participant – a meter manufacturer, say – may ask the DCC to test a combination of
  SMETS1 Device Models not yet on the Eligible Product Combinations. The DCC adds it to the Pending Product
  Combinations, tests it as soon as reasonably practicable and tells the requester the outcome. A combination that
  passes moves from the Pending to the Eligible Product Combinations; for one that cannot pass, the DCC tells the
  requester, explaining the problem. A changed combination – new firmware, a replaced Device – is tested again
  before it is eligible.

  Background:
    Given the Central Products List identifies the SMETS1 Device Models used here

  @PPC-6.12
  @rule-met
  Scenario: A Testing Participant's request puts the combination on the Pending Product Combinations
    When a Testing Participant asks the DCC to test the combination of the SMETS1 Device Models used here
    Then the DCC accepts the test request
    And the combination is on the Pending Product Combinations list
    And the Pending Product Combinations list names the Testing Participant as the requester
    And the combination is not on the Eligible Product Combinations list
    And the Testing Participant is told nothing yet

  @PPC-6.12
  @rule-broken
  Scenario: A combination that names no Device Model cannot be tested
    When a Testing Participant asks the DCC to test a combination that lists no Device Model
    Then the DCC refuses the test request, citing PPC-6.12

  @PPC-6.12
  @rule-broken
  Scenario: A test result is recorded only for a combination on the Pending Product Combinations
    When the DCC records a PPC test result for the combination of the SMETS1 Device Models used here
    Then the DCC refuses the test result, citing PPC-6.12
    And the combination is not on the Eligible Product Combinations list

  @PPC-6.10
  @rule-broken
  Scenario: A combination already on the Eligible Product Combinations is not tested again
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    And the combination of the SMETS1 Device Models used here is named
    When a Testing Participant asks the DCC to test the combination again
    Then the DCC refuses the test request, citing PPC-6.10

  @PPC-6.10
  @rule-broken
  Scenario: A combination already awaiting its test is not added twice
    Given a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here
    When a Testing Participant asks the DCC to test the combination again
    Then the DCC refuses the test request, citing PPC-6.10
    And the combination is on the Pending Product Combinations list

  @PPC-2.5 @PPC-6.12 @PPC-6.13
  @rule-met
  Scenario: A combination that passes its test moves from the Pending to the Eligible Product Combinations
    Given a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here
    When the DCC records that the PPC test of the combination passed
    Then the DCC accepts the test result
    And the combination is on the Eligible Product Combinations list
    And the combination is not on the Pending Product Combinations list
    And the Testing Participant is told that the test passed

  @PPC-6.13
  @rule-met
  Scenario: A combination that fails its test is not eligible and the requester is told why
    Given a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here
    When the DCC records that the PPC test of the combination failed because "the PPMID does not answer the DCC's prepayment top-up Command; DCC Systems would need material change"
    Then the DCC accepts the test result
    And the combination is not on the Eligible Product Combinations list
    And the combination is not on the Pending Product Combinations list
    And the Testing Participant is told that the test failed, with the explanation "the PPMID does not answer the DCC's prepayment top-up Command"

  @PPC-6.13
  @rule-broken
  Scenario: A failed test cannot be recorded without explaining the problem to the requester
    Given a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here
    When the DCC records that the PPC test of the combination failed without explaining why
    Then the DCC refuses the test result, citing PPC-6.13
    And the combination is on the Pending Product Combinations list
    And the Testing Participant is told nothing yet

  @PPC-2.5 @PPC-2.4 @H5
  @rule-met
  Scenario: Once its combination passes the PPC test, a SMETS1 Smart Meter is Enrolled
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    And a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here
    And the PPC test of the combination has passed
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

  @PPC-6.11 @H5
  @rule-broken
  Scenario: A meter whose firmware is upgraded outside its Eligible Product Combination is not Enrolled until the new combination is tested
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has recorded a new Device Model for the Electricity Smart Meter that is on the Central Products List
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing H5

  @PPC-6.11 @PPC-6.12
  @rule-met
  Scenario: A combination with a meter's new firmware version goes on the Pending Product Combinations
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    When a Testing Participant asks the DCC to test the combination with the Electricity Smart Meter's new firmware version
    Then the DCC accepts the test request
    And the combination is on the Pending Product Combinations list

  @PPC-6.11 @H5
  @rule-met
  Scenario: A meter whose firmware was upgraded is Enrolled once the new combination has passed its test
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has recorded a new Device Model for the Electricity Smart Meter that is on the Central Products List
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    And a Testing Participant has asked the DCC to test the combination with the Electricity Smart Meter's new firmware version
    And the PPC test of the combination has passed
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command
