// Condition and port evaluation for catalog flows.
#include "analysis/FlowEvaluation.h"

#include "fmt/format.h"

using namespace cmnet::ir;

namespace cmnet::analysis {

void appendEntryProvenance(FlowTable &table, const Model &model, const Link &link, const Entry &entry, bool reverse,
                           llvm::SmallVectorImpl<ProvId> &why) {
  std::string text = fmt::format("{}: {}{}", link.section, entry.description.empty() ? "(no description)" : entry.description,
                                 reverse ? " (reverse direction)" : "");
  mergeWhy(why, {table.addProvenance(Provenance::CatalogEntry, std::move(text), entry.loc)});
  std::string catalog = link.catalog < model.catalogs.size() ? model.catalogs[link.catalog].name : "";
  for (const std::string &note : entry.notes)
    mergeWhy(why, {table.addProvenance(Provenance::Note, fmt::format("{} note {}", catalog, note), entry.loc)});
}

static std::optional<Value> paramValue(const Model &model, const Binding *b, llvm::StringRef name) {
  if (!b || b->role == Binding::None || b->values.empty())
    return std::nullopt;
  if (auto p = model.roles[b->role].findParam(name))
    return b->values[*p];
  return std::nullopt;
}

static std::optional<Value> valueByName(const Model &model, const Binding *b, const RefExpr &ref) {
  if (b && b->role != Binding::None && !ref.getQualifier().empty() && ref.getQualifier() != model.roles[b->role].name)
    return std::nullopt;
  return paramValue(model, b, ref.getName());
}

std::optional<Value> FlowEvaluation::lookup(const RefExpr &ref, const Binding *src, const Binding *dst) const {
  if (auto target = ref.getTarget()) {
    if (target->fromSource)
      return paramValue(ctx.model, src, ref.getName());
    if (target->isGlobal())
      return target->param < ctx.flows.globals.size() ? std::optional<Value>(ctx.flows.globals[target->param])
                                                      : std::nullopt;
    for (const Binding *b : {dst, src})
      if (b && b->role == target->role && !b->values.empty())
        return b->values[target->param];
    return std::nullopt;
  }
  if (auto v = valueByName(ctx.model, dst, ref))
    return v;
  return valueByName(ctx.model, src, ref);
}

bool FlowEvaluation::condition(const Expr *when, const Binding *src, const Binding *dst, bool &failed) const {
  if (!when)
    return true;
  std::string error;
  Value v = evaluate(*when, [&](const RefExpr &ref) { return lookup(ref, src, dst); }, error);
  if (v.type != TypeKind::Bool) {
    failed = true;
    if (v.type == TypeKind::Error && error.empty())
      return false; // a parameter it uses failed and was reported already
    ctx.diags.report(DiagKind::EvaluationError, when->getRange(),
                     fmt::format("cannot evaluate condition '{}': {}", printExpr(*when), error));
    return false;
  }
  return v.boolean;
}

std::optional<PortSet> FlowEvaluation::ports(const Entry &entry, const Binding *src, const Binding *dst,
                                             llvm::SmallVectorImpl<ProvId> &why) const {
  PortSet out;
  for (const PortItem &item : entry.ports) {
    if (item.kind == PortItem::Literal) {
      out.add(item.lo, item.hi);
      continue;
    }
    std::optional<Value> v = lookup(*item.ref, src, dst);
    if (!v) {
      ctx.diags.report(DiagKind::EvaluationError, item.loc,
                       fmt::format("'{}' has no value for this pair of hosts", printExpr(*item.ref)));
      return std::nullopt;
    }
    if (v->type == TypeKind::Error)
      return std::nullopt; // its parameter failed and was reported already
    bool numeric = v->type == TypeKind::Port || v->type == TypeKind::Int;
    int64_t lo = numeric ? v->number : v->lo, hi = numeric ? v->number : v->hi;
    if (lo < 1 || hi > 65535 || lo > hi) {
      ctx.diags.report(DiagKind::PortOutOfRange, item.loc,
                       fmt::format("'{}' evaluates to {}, which is not a port in 1-65535", printExpr(*item.ref), v->str()));
      return std::nullopt;
    }
    out.add(uint16_t(lo), uint16_t(hi));
    // Record which override (if any) set this port, so explain can say so.
    if (auto target = item.ref->getTarget()) {
      if (target->isGlobal()) {
        if (target->param < ctx.flows.globalSource.size() && ctx.flows.globalSource[target->param] != NoSource)
          mergeWhy(why, {ctx.flows.globalSource[target->param]});
      } else {
        for (const Binding *b : {dst, src})
          if (b && b->role == target->role && target->param < b->valueSource.size()) {
            if (b->valueSource[target->param] != NoSource)
              mergeWhy(why, {b->valueSource[target->param]});
            break;
          }
      }
    }
  }
  return out;
}

bool FlowEvaluation::resolve(Flow &flow, bool ignoreEntryCondition) const {
  const Binding *src = flow.src == Flow::Mixed ? nullptr : &ctx.flows.bindings[flow.src];
  const Binding *dst = flow.dst == Flow::Mixed ? nullptr : &ctx.flows.bindings[flow.dst];
  bool failed = false;
  if (!condition(flow.link->when.get(), src, dst, failed))
    return false;
  if (!ignoreEntryCondition && !condition(flow.entry->when.get(), src, dst, failed))
    return false;
  if (flow.proto != Protocol::ICMP) {
    auto ports = this->ports(*flow.entry, src, dst, flow.why);
    if (!ports)
      return false;
    flow.ports = *ports;
  }
  flow.srcAddrs = src ? src->addresses : AddressSet();
  flow.dstAddrs = dst ? dst->addresses : AddressSet();
  flow.resolved = true;
  return true;
}

} // namespace cmnet::analysis
