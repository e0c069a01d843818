// `cmnetc catalog NAME`: a standard-library catalog as data (TSV, JSON) or Markdown tables.
#include "Commands.h"
#include "Driver.h"

#include "ir/Expr.h"

#include "fmt/format.h"
#include "llvm/Support/JSON.h"

namespace cl = llvm::cl;
using namespace cmnet::ir;

namespace cmnet::driver {
namespace {
cl::SubCommand catalogCmd("catalog", "Print a standard-library catalog as data or tables");
cl::opt<std::string> catalogName(cl::Positional, cl::desc("<catalog> (e.g. cm.current_branch)"), cl::Required,
                                 cl::sub(catalogCmd));
enum class Format { TSV, JSON, Markdown };
cl::opt<Format> format("format", cl::desc("Output format"), cl::init(Format::TSV),
                       cl::values(clEnumValN(Format::TSV, "tsv", "one line per connection and transport"),
                                  clEnumValN(Format::JSON, "json", "the same rows as JSON"),
                                  clEnumValN(Format::Markdown, "md", "port tables per section")),
                       cl::sub(catalogCmd));
cl::opt<std::string> stdlibDir("stdlib", cl::desc("Standard library directory"), cl::sub(catalogCmd));

/// One (connection, description, transport) row, as the ground-truth tables spell it.
struct CatalogRow {
  std::string section, sourceRole, sourceRoleId, direction, destinationRole, destinationRoleId, description,
      transport, ports, parameter, notes;
};

/// A parameter's catalog default, evaluating defaults it refers to (`http_port + 1`).
std::optional<Value> defaultValue(const Model &model, const ParamTarget &t, unsigned depth = 0) {
  const ParamDecl &decl = t.isGlobal() ? model.globals[t.param] : model.roles[t.role].params[t.param];
  if (!decl.defaultValue || depth > 16)
    return std::nullopt;
  std::string error;
  Value v = evaluate(*decl.defaultValue, [&](const RefExpr &ref) -> std::optional<Value> {
    if (!ref.getTarget())
      return std::nullopt;
    return defaultValue(model, *ref.getTarget(), depth + 1);
  }, error);
  if (v.type == TypeKind::Error)
    return std::nullopt;
  return v;
}

void portsOf(const Model &model, const Entry &entry, std::string &ports, std::string &parameter) {
  for (const PortItem &item : entry.ports) {
    if (!ports.empty())
      ports += ',';
    if (item.kind == PortItem::Literal) {
      ports += item.lo == item.hi ? fmt::format("{}", item.lo) : fmt::format("{}-{}", item.lo, item.hi);
      continue;
    }
    if (item.kind == PortItem::Dynamic) {
      ports += "dynamic";
      continue;
    }
    auto v = item.ref->getTarget() ? defaultValue(model, *item.ref->getTarget()) : std::nullopt;
    ports += v ? v->str() : "?";
    if (!parameter.empty())
      parameter += ',';
    parameter += item.ref->getName().str();
  }
}

std::vector<CatalogRow> catalogRows(const Model &model) {
  std::vector<CatalogRow> rows;
  for (const Link &link : model.links)
    for (const Entry &entry : link.entries) {
      if (entry.advisory)
        continue; // "not needed" knowledge, not a connection row
      std::string notes;
      for (const std::string &n : entry.notes)
        notes += (notes.empty() ? "" : ";") + n;
      if (!entry.since.empty())
        notes += (notes.empty() ? "" : ";") + entry.since;
      for (Protocol proto : entry.protocols) {
        CatalogRow row{link.section, link.srcName, model.roles[link.srcRole].name, link.bidirectional ? "<->" : "->",
                       link.dstName, model.roles[link.dstRole].name, entry.description,
                       protocolName(proto).str(), "", "", notes};
        if (proto == Protocol::ICMP)
          row.ports = entry.icmpType < 0 ? "any" : fmt::format("{}", entry.icmpType);
        else
          portsOf(model, entry, row.ports, row.parameter);
        rows.push_back(std::move(row));
      }
    }
  return rows;
}

void printTsv(const std::vector<CatalogRow> &rows) {
  llvm::outs() << "section\tsource_role\tsource_role_id\tdirection\tdestination_role\tdestination_role_id\t"
                  "description\ttransport\tports\tparameter\tnotes\n";
  for (const CatalogRow &r : rows)
    llvm::outs() << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.section, r.sourceRole,
                                r.sourceRoleId, r.direction, r.destinationRole, r.destinationRoleId, r.description,
                                r.transport, r.ports, r.parameter, r.notes);
}

void printJson(const std::vector<CatalogRow> &rows) {
  llvm::json::Array out;
  for (const CatalogRow &r : rows)
    out.push_back(llvm::json::Object{{"section", r.section},
                                     {"source_role", r.sourceRole},
                                     {"source_role_id", r.sourceRoleId},
                                     {"direction", r.direction},
                                     {"destination_role", r.destinationRole},
                                     {"destination_role_id", r.destinationRoleId},
                                     {"description", r.description},
                                     {"transport", r.transport},
                                     {"ports", r.ports},
                                     {"parameter", r.parameter},
                                     {"notes", r.notes}});
  llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(out))) << "\n";
}

/// Microsoft's layout: one table per section with Description | UDP | TCP columns.
void printMarkdown(const Model &model, const std::vector<CatalogRow> &rows) {
  const Catalog *cat = model.catalogs.empty() ? nullptr : &model.catalogs.back();
  llvm::outs() << "# " << (cat && !cat->title.empty() ? cat->title : catalogName.getValue()) << "\n\n"
               << "Generated by `cmnetc catalog " << catalogName << " --format=md` from the catalog.\n";
  std::string section;
  for (size_t i = 0; i < rows.size(); ++i) {
    const CatalogRow &r = rows[i];
    if (r.section != section) {
      section = r.section;
      llvm::outs() << "\n## " << section << "\n\n| Description | UDP | TCP | Notes |\n|---|---|---|---|\n";
    }
    // A tcp+udp entry is two rows; print it as one table row like the source documents do.
    std::string udp = "--", tcp = "--", other;
    size_t j = i;
    for (; j < rows.size() && rows[j].section == r.section && rows[j].description == r.description &&
           rows[j].notes == r.notes;
         ++j) {
      std::string cell = rows[j].parameter.empty() ? rows[j].ports
                                                   : fmt::format("{} (`{}`)", rows[j].ports, rows[j].parameter);
      if (rows[j].transport == "udp" && udp == "--")
        udp = cell;
      else if (rows[j].transport == "tcp" && tcp == "--")
        tcp = cell;
      else if (rows[j].transport == "icmp")
        other = "ICMP type " + rows[j].ports;
      else
        break;
    }
    i = j - 1;
    std::string notes = r.notes.empty() ? "" : "Note " + r.notes;
    if (!other.empty())
      notes = other + (notes.empty() ? "" : "; " + notes);
    llvm::outs() << fmt::format("| {} | {} | {} | {} |\n", r.description, udp, tcp, notes);
  }
}
} // namespace

bool catalogSelected() { return static_cast<bool>(catalogCmd); }

int runCatalog() {
  Compilation c;
  frontend::FrontendOptions options;
  options.stdlibDir = stdlibDir.empty() ? frontend::defaultStdlibDir() : std::string(stdlibDir);
  c.model = frontend::loadCatalog(catalogName, c.diags, options);
  if (!c.model)
    return ExitInputError;
  std::vector<CatalogRow> rows = catalogRows(*c.model);
  switch (format) {
  case Format::TSV: printTsv(rows); break;
  case Format::JSON: printJson(rows); break;
  case Format::Markdown: printMarkdown(*c.model, rows); break;
  }
  return ExitSuccess;
}

} // namespace cmnet::driver
