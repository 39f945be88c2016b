@rig-under-test
Feature: Trust Anchor Cells of every device of the rig under test (Appendix AC 3.1–3.2)
  The devices under test are those of the rig named for the run (the emulated rig unless another is chosen).
  Before a Command reaches a Smart Meter, GPF or Type 1 Device, and before a Communications Hub is delivered, every
  Trust Anchor Cell the device must have is populated (AC 3.1), each with a certificate AC 3.2(a)'s table allows
  for the cell's Remote Party Role, of the same keyUsage as the cell (AC 3.2(b)). Which cells a device type must
  have is rigs/trust-anchors/cells.yaml (docs/decisions/0903). The harness reads what each such device of the rig
  reports over its local port and checks it; each clause is judged on its own, so a device that falls short of one
  fails that clause alone.

  Background:
    Given the rig under test is running
    When the harness reads the Trust Anchor Cells of every device of the rig under test over its local port

  @AC-3.1
  @rule-met
  Scenario: Every Trust Anchor Cell each device of the rig under test must have is populated
    Then no device has left empty a Trust Anchor Cell it must have

  @AC-3.2(a)
  @rule-met
  Scenario: Every populated cell of the rig under test holds a certificate allowed for its Remote Party Role
    Then every populated cell holds a certificate that AC 3.2(a) allows for its Remote Party Role

  @AC-3.2(b)
  @rule-met
  Scenario: Every populated cell of the rig under test holds a certificate of the cell's keyUsage
    Then every populated cell holds a certificate of the cell's own keyUsage
