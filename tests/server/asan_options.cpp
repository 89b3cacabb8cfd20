// The server tests assert that resident memory stays bounded under attack. AddressSanitizer's default
// quarantine keeps up to 256 MB of freed memory resident (to catch a use after free), which reads as growth;
// at 16 MB a freed block stays poisoned for the next 16 MB of frees, which covers a request's lifetime many
// times over. ASAN_OPTIONS still overrides it. Unused in a build without AddressSanitizer.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=16";
}
