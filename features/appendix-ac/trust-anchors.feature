@AC-3.1 @AC-3.2
Feature: Trust Anchor Cells populated before the first Command (Appendix AC 3.1–3.2)
  Before a Command reaches a Smart Meter, GPF or Type 1 Device, and before the DCC delivers a Communications Hub,
  every Trust Anchor Cell the GB Companion Specification requires of the device is populated (AC 3.1), each with
  a certificate AC 3.2(a)'s table allows for the cell's Remote Party Role, of the same keyUsage as the cell
  (AC 3.2(b)). Which cells a device type must have is rigs/trust-anchors/cells.yaml (docs/decisions/0903).
  The harness reads what each device reports over its local port – each cell by role and keyUsage, with the
  occupant's Entity Identifier and key identifier – and checks it. The emulated devices were populated at their
  first power-up from the rig's test PKI (seed 'trust-anchors'); three meters carry one spoiled cell each, and
  the check must find exactly that cell.

  Background:
    Given the emulated rig "emulated-trust-anchors" is running

  @AC-3.1 @AC-3.2(a) @AC-3.2(b)
  Scenario Outline: A correctly populated <device type> passes
    When the harness reads the Trust Anchor Cells of "<device>" over its local port
    Then every Trust Anchor Cell "<device>" must have is populated as AC 3.1 and 3.2 require

    Examples:
      | device type                  | device |
      | Communications Hub Function  | chf    |
      | Gas Proxy Function           | gpf    |
      | Electricity Smart Meter      | esme   |
      | Gas Smart Meter              | gsme   |

  @AC-3.1
  Scenario: A meter whose recovery cell was left empty is caught
    When the harness reads the Trust Anchor Cells of "esme-recovery" over its local port
    Then the check has exactly one finding, under AC-3.1, that cell "recovery/digitalSignature" of "esme-recovery" is empty

  @AC-3.2(b)
  Scenario: A meter whose supplier keyAgreement cell holds a digitalSignature certificate is caught
    When the harness reads the Trust Anchor Cells of "esme-keyusage" over its local port
    Then the check has exactly one finding, under AC-3.2(b), that cell "supplier/keyAgreement" of "esme-keyusage" holds a certificate of another keyUsage

  @AC-3.2(a)
  Scenario: A meter holding another Supplier's certificate without consent is caught
    When the harness reads the Trust Anchor Cells of "gsme-supplier" over its local port
    Then the check has exactly one finding, under AC-3.2(a), that cell "supplier/digitalSignature" of "gsme-supplier" holds a certificate AC 3.2(a) does not allow
    And the finding names "Supplier 2" as the occupant and says no consent is recorded
