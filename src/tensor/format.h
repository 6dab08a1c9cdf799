// Human-readable numbers for progress lines and messages, one spelling everywhere.
#pragma once
#include <string>

namespace aekit {

std::string format_duration(double seconds);  // "1:02:03" / "4:05" / "0:07"
std::string format_count(double v);           // 48200 -> "48,200"
std::string format_bytes(double bytes);       // "31.4 GB", "512 MB"

}  // namespace aekit
