@AC-3.1 @AC-3.2
Feature: Trust Anchor Cells populated before the first Command (Appendix AC 3.1–3.2)
  Before a Command reaches a Smart Meter, GPF or Type 1 Device, and before the DCC delivers a Communications Hub,
  every Trust Anchor Cell the GB Companion Specification requires of the device is populated (AC 3.1), each with
  a certificate AC 3.2(a)'s table allows for the cell's Remote Party Role, of the same keyUsage as the cell
  (AC 3.2(b)). Which cells a device type must have is rigs/trust-anchors/cells.yaml (docs/decisions/0903).
  The harness reads what each device reports – each cell by role and keyUsage, with the occupant's Entity
  Identifier and key identifier – either over the device's local port, or through the DCC, which asks the device
  for its cells with 'Retrieve Device Security Credentials (KRP)' and passes on its answer; both readings are
  judged by the same check. The emulated devices were populated at their first power-up from the rig's test PKI
  (seed 'trust-anchors'); three meters of the rig "emulated-trust-anchors" carry one spoiled cell each, as do both
  functions of the hub of the rig "emulated-trust-anchors-hub", and the check must find exactly those cells.

  @AC-3.1 @AC-3.2(a) @AC-3.2(b)
  @rule-met
  Scenario Outline: A correctly populated <device type> passes
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "<device>" over its local port
    Then every Trust Anchor Cell "<device>" must have is populated as AC 3.1 and 3.2 require

    Examples:
      | device type                  | device |
      | Communications Hub Function  | chf    |
      | Gas Proxy Function           | gpf    |
      | Electricity Smart Meter      | esme   |
      | Gas Smart Meter              | gsme   |

  @AC-3.1
  @rule-broken
  Scenario: A meter whose recovery cell was left empty is caught
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "esme-recovery" over its local port
    Then the check has exactly one finding, under AC-3.1, that cell "recovery/digitalSignature" of "esme-recovery" is empty

  @AC-3.2(b)
  @rule-broken
  Scenario: A meter whose supplier keyAgreement cell holds a digitalSignature certificate is caught
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "esme-keyusage" over its local port
    Then the check has exactly one finding, under AC-3.2(b), that cell "supplier/keyAgreement" of "esme-keyusage" holds a certificate of another keyUsage

  @AC-3.2(a)
  @rule-broken
  Scenario: A meter holding another Supplier's certificate without consent is caught
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "gsme-supplier" over its local port
    Then the check has exactly one finding, under AC-3.2(a), that cell "supplier/digitalSignature" of "gsme-supplier" holds a certificate AC 3.2(a) does not allow
    And the finding names "Supplier 2" as the occupant and says no consent is recorded

  # ── AC 3.1(a): before the Responsible Supplier's first Service Request that may send a Command ───────────

  @AC-3.1(a) @AC-3.2(a) @AC-3.2(b)
  @rule-met
  Scenario Outline: A correctly populated <device type> may be sent Commands by its Responsible Supplier
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "<device>" over its local port
    Then AC 3.1(a) lets the Responsible Supplier send "<device>" Service Requests that may result in Commands

    Examples:
      | device type             | device |
      | Electricity Smart Meter | esme   |
      | Gas Smart Meter         | gsme   |
      | Gas Proxy Function      | gpf    |

  @AC-3.1(a)
  @rule-broken
  Scenario: A meter with an empty recovery cell may not yet be sent Commands by its Responsible Supplier
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "esme-recovery" over its local port
    Then AC 3.1(a) forbids the Responsible Supplier to send "esme-recovery" a Service Request that may result in a Command, because cell "recovery/digitalSignature" is not populated as AC 3.2 requires

  # ── AC 3.1(b): before the DCC delivers a Communications Hub ──────────────────────────────────────────────

  @AC-3.1(b) @AC-3.2(a) @AC-3.2(b)
  @rule-met
  Scenario: A Communications Hub whose functions are both correctly populated may be delivered
    Given the emulated rig "emulated-trust-anchors" is running
    When the harness reads the Trust Anchor Cells of "chf" over its local port
    And the harness reads the Trust Anchor Cells of "gpf" over its local port
    Then AC 3.1(b) lets the DCC deliver the Communications Hub of "chf" and "gpf"

  @AC-3.1(b)
  @rule-broken
  Scenario: A Communications Hub whose recovery cells were left empty may not be delivered
    Given the emulated rig "emulated-trust-anchors-hub" is running
    When the harness reads the Trust Anchor Cells of "chf" over its local port
    And the harness reads the Trust Anchor Cells of "gpf" over its local port
    Then AC 3.1(b) forbids the DCC to deliver the Communications Hub of "chf" and "gpf", because cell "recovery/digitalSignature" is not populated as AC 3.2 requires

  # ── The same check on what a device tells the DCC ────────────────────────────────────────────────────────

  @AC-3.1 @AC-3.2(a) @AC-3.2(b)
  @rule-met
  Scenario: A correctly populated meter passes when its cells are read through the DCC
    Given the emulated rig "emulated-trust-anchors" is running with its hub connected to the DCC
    When the harness reads the Trust Anchor Cells of "esme" through the DCC
    Then every Trust Anchor Cell "esme" must have is populated as AC 3.1 and 3.2 require

  @AC-3.1
  @rule-broken
  Scenario: A meter whose recovery cell was left empty is caught through the DCC as over its local port
    Given the emulated rig "emulated-trust-anchors" is running with its hub connected to the DCC
    When the harness reads the Trust Anchor Cells of "esme-recovery" through the DCC
    Then the check has exactly one finding, under AC-3.1, that cell "recovery/digitalSignature" of "esme-recovery" is empty
    And the finding is the one the check makes of "esme-recovery" over its local port
