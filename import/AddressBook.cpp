// AddressBook: reads the NAME,ADDRESS map file and asks the system resolver.
#include "import/AddressBook.h"

#include "fmt/format.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

namespace cmnet::import {
namespace {

/// The resolver's addresses for \p name, IPv4 first, each ascending, without duplicates.
std::vector<ir::AddressSet> resolveName(const std::string &name, std::string &why) {
  addrinfo hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo *list = nullptr;
  if (int rc = getaddrinfo(name.c_str(), nullptr, &hints, &list)) {
    why = fmt::format("the resolver does not know it ({})", gai_strerror(rc));
    return {};
  }
  std::vector<ir::AddressSet> out;
  for (addrinfo *a = list; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void *raw = a->ai_family == AF_INET ? static_cast<const void *>(&reinterpret_cast<sockaddr_in *>(a->ai_addr)->sin_addr)
                      : a->ai_family == AF_INET6 ? static_cast<const void *>(&reinterpret_cast<sockaddr_in6 *>(a->ai_addr)->sin6_addr)
                                                 : nullptr;
    if (!raw || !inet_ntop(a->ai_family, raw, text, sizeof text))
      continue;
    if (std::optional<ir::AddressSet> set = ir::AddressSet::parse(text))
      out.push_back(*set);
  }
  freeaddrinfo(list);
  // IPv4 sets compare before IPv6 ones (an empty IPv4 part is greatest).
  auto v4First = [](const ir::AddressSet &a, const ir::AddressSet &b) {
    bool av4 = !a.v4().empty(), bv4 = !b.v4().empty();
    return av4 != bv4 ? av4 : a < b;
  };
  std::sort(out.begin(), out.end(), v4First);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty())
    why = "the resolver returned no IPv4 or IPv6 address for it";
  return out;
}

} // namespace

bool AddressBook::load(unsigned bufferId, DiagnosticEngine &diags) {
  llvm::StringRef text = diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  bool ok = true;
  bool first = true;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    llvm::StringRef content = line.rtrim("\r");
    bool header = first && content.trim().equals_insensitive("name,address");
    first = false;
    if (header || content.trim().empty() || content.ltrim().startswith("#"))
      continue;
    auto [name, address] = content.split(',');
    name = name.trim();
    address = address.trim();
    if (name.empty() || address.empty() || address.contains(',')) {
      diags.report(DiagKind::MalformedAddress, llvm::SMLoc::getFromPointer(content.data()),
                   "expected 'NAME,ADDRESS' (one address per line; give a name several lines for several addresses)");
      ok = false;
      continue;
    }
    std::string error;
    std::optional<ir::AddressSet> set = ir::AddressSet::parse(address, &error);
    if (!set) {
      diags.report(DiagKind::MalformedAddress,
                   llvm::SMRange(llvm::SMLoc::getFromPointer(address.data()),
                                 llvm::SMLoc::getFromPointer(address.data() + address.size())),
                   fmt::format("'{}' is not an address or prefix: {}", address.str(), error));
      ok = false;
      continue;
    }
    std::vector<ir::AddressSet> &list = entries[name.lower()];
    if (std::find(list.begin(), list.end(), *set) == list.end())
      list.push_back(std::move(*set));
  }
  return ok;
}

std::optional<std::vector<ir::AddressSet>> AddressBook::lookup(llvm::StringRef server, std::string &why) const {
  std::string full = server.lower();
  std::string label = llvm::StringRef(full).split('.').first.str();
  for (const std::string &key : {full, label}) {
    auto it = entries.find(key);
    if (it != entries.end())
      return it->second;
  }
  if (!resolve) {
    why = "the address map does not list it (give --addresses, or --resolve to ask the resolver)";
    return std::nullopt;
  }
  std::vector<ir::AddressSet> found = resolveName(server.str(), why);
  if (found.empty())
    return std::nullopt;
  return found;
}

std::optional<ir::AddressSet> AddressBook::prefixFor(llvm::StringRef subnetId) const {
  auto it = entries.find(subnetId.trim().lower());
  if (it == entries.end() || it->second.size() != 1)
    return std::nullopt;
  return it->second.front();
}

} // namespace cmnet::import
