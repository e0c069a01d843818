// escapeControls: what a terminal would act on is written as an escape, everything else stays.
#include "support/ControlEscapes.h"

#include <gtest/gtest.h>

namespace {

using cmnet::escapeControls;

TEST(ControlEscapesTest, EscapesC0AndDel) {
  EXPECT_EQ(escapeControls("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(escapeControls(llvm::StringRef("\0\x7f", 2)), "\\x00\\x7f");
  EXPECT_EQ(escapeControls("a\rb"), "a\\x0db");
}

TEST(ControlEscapesTest, KeepsTabsAndOptionallyLineBreaks) {
  EXPECT_EQ(escapeControls("a\tb\nc"), "a\tb\\x0ac");
  EXPECT_EQ(escapeControls("a\tb\nc", /*keepLineBreaks=*/true), "a\tb\nc");
}

TEST(ControlEscapesTest, EscapesC1BidiAndInvalidBytes) {
  EXPECT_EQ(escapeControls("\xc2\x9b" "31m"), "\\u009b31m");      // CSI
  EXPECT_EQ(escapeControls("x\xe2\x80\xaey"), "x\\u202ey");        // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(escapeControls("\xe2\x81\xa6"), "\\u2066");            // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(escapeControls("\xff" "a\xc3"), "\\xffa\\xc3");
}

TEST(ControlEscapesTest, LeavesTextAlone) {
  const char *text = "Győr ‘quoted’ — 𝄞 \\x1b ~!@#$%^&*()";
  EXPECT_EQ(escapeControls(text), text);
}

} // namespace
