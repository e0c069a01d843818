// The quoting invariant of every generated file, checked on one input of cmnet_fuzz_quoting.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cmnet::fuzz {

/// Fills the fixed policy's names and texts from \p data, renders every target with that text
/// and with plain words in its place, and aborts, with a report on stderr, when an output
/// breaks the quoting invariant. Returns false when the compiler rejects the policy (a name
/// that is a keyword or used twice), true when every output was checked.
bool checkQuoting(const uint8_t *data, size_t size);

} // namespace cmnet::fuzz
