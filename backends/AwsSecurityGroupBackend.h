// AwsSecurityGroupBackend: per host a CloudFormation template (HOST.json) with one security
// group (AWS::EC2::SecurityGroup) and the managed prefix lists its rules share.
#pragma once

#include "backends/Backend.h"

namespace cmnet::backends {

/// One security group per host, for a site system on EC2. Ingress/egress entries carry
/// IpProtocol, FromPort, ToPort, CidrIp / CidrIpv6 and Description, the shape
/// `aws ec2 authorize-security-group-ingress` also takes; ICMP types are FromPort=type,
/// ToPort=-1. A peer set of several blocks becomes one AWS::EC2::PrefixList shared by every rule
/// that names it, instead of one rule per block and port range. Security groups only allow and
/// cannot narrow the destination below the instance: deny rules, rules for part of a host's
/// addresses and hosts past the 1000-rule quota are located `unsupported` errors.
class AwsSecurityGroupBackend : public Backend {
public:
  llvm::StringRef name() const override { return "aws-sg"; }
  Capabilities capabilities() const override {
    Capabilities caps;
    caps.denyRules = false;
    // A security group applies to a whole instance; a client group's ruleset holds rules for
    // part of its subnets whenever an allow or deny names some of them (contoso with
    // --outbound), which no group can express, and clients are seldom EC2 instances.
    caps.clientRulesets = false;
    return caps;
  }
  void checkLimits(const ir::PlacedPolicy &placed, DiagnosticEngine &diags) const override;
  bool render(const ir::PlacedPolicy &placed, const BackendOptions &options, FileSink emit) const override;
};

} // namespace cmnet::backends
