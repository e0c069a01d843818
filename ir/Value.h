// Value: the result of evaluating a parameter or expression.
#pragma once

#include "ir/AddressSet.h"
#include "ir/PortSet.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace cmnet::ir {

enum class TypeKind : unsigned char { Port, Ports, Bool, Int, Address, String, Error };

llvm::StringRef typeName(TypeKind type);

/// A typed value. Port/Int keep `number`; Ports keep [lo, hi]; Address keeps `addresses`.
struct Value {
  TypeKind type = TypeKind::Error;
  int64_t number = 0;
  uint16_t lo = 0, hi = 0;
  bool boolean = false;
  std::string text;
  AddressSet addresses;

  static Value makeInt(int64_t v) { Value x; x.type = TypeKind::Int; x.number = v; return x; }
  static Value makePort(int64_t v) { Value x; x.type = TypeKind::Port; x.number = v; return x; }
  static Value makeRange(uint16_t lo, uint16_t hi) {
    Value x; x.type = TypeKind::Ports; x.lo = lo; x.hi = hi; return x;
  }
  static Value makeBool(bool v) { Value x; x.type = TypeKind::Bool; x.boolean = v; return x; }
  static Value makeString(std::string v) { Value x; x.type = TypeKind::String; x.text = std::move(v); return x; }
  static Value makeAddress(AddressSet v) { Value x; x.type = TypeKind::Address; x.addresses = std::move(v); return x; }

  bool isNumeric() const { return type == TypeKind::Int || type == TypeKind::Port; }
  /// The ports this value denotes (a port or a range); empty for other types.
  PortSet ports() const;
  /// Text for dumps and catalogs: "8530", "49152-65535", "true", "\"x\"".
  std::string str() const;
  bool operator==(const Value &o) const;
};

} // namespace cmnet::ir
