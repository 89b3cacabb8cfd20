// The server tests assert that resident memory stays bounded under attack. AddressSanitizer's default
// quarantine keeps up to 256 MB of freed memory resident (to catch a use after free), which reads as growth.
// The price of 16 MB: in these tests a use after free is caught only while the block is among the last 16 MB
// freed, which covers a request's lifetime many times over but not a block freed long before. ASAN_OPTIONS
// still overrides it. Unused in a build without AddressSanitizer.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=16";
}
