@PPC-2.4 @PPC-4.8(a) @H5
Feature: Only SMETS1 Eligible Product Combinations are Enrolled (BEIS consultation 2.4, chapter 3 4.8; Section H5)
  Only certain combinations of SMETS1 Device Models work together, so the DCC provides services for – and Enrols –
  a SMETS1 Smart Metering System only where its combination of Device Models is one the DCC has proven by testing:
  an Eligible Product Combination.

  Background:
    Given the Central Products List identifies the SMETS1 Device Models used here
    And the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here

  @rule-met
  Scenario: A SMETS1 Smart Meter of an Eligible Product Combination is Commissioned
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

  @rule-broken
  Scenario: A SMETS1 Smart Meter whose combination is not an Eligible Product Combination is not Enrolled
    Given a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing H5
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @rule-met
  Scenario: A SMETS1 Gas Smart Meter of an Eligible Product Combination is Commissioned
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Gas Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Gas Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

  @rule-met
  Scenario: A SMETS1 Type 1 Device of an Eligible Product Combination is Commissioned by joining it
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Electricity Smart Meter with SMI status 'commissioned'
    And a SMETS1 PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

  @rule-broken
  Scenario: A SMETS1 Device whose Device Model takes the system outside every Eligible Product Combination is not joined
    Given the SMETS1 Device Models used here form an Eligible Product Combination
    And a SMETS1 Electricity Smart Meter with SMI status 'commissioned'
    And a SMETS1 PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has recorded a new Device Model for the PPMID that is on the Central Products List
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the PPMID
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing H5
    And the SMI status of the PPMID is still 'installed not commissioned'
