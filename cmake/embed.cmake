# sg_embed_text(TARGET SYMBOL FILE): compiles FILE's text into TARGET as
#   std::string_view sg::embedded::SYMBOL();
# so data files ship inside the binary and work from any directory. Re-runs when FILE changes.
function(sg_embed_text target symbol file)
  get_filename_component(abs ${file} ABSOLUTE)
  file(READ ${abs} content)
  string(FIND "${content}" ")sg_embedded\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter used for embedding")
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cpp)
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from ${file} by cmake/embed.cmake. Do not edit.
#include <string_view>
namespace sg::embedded {
std::string_view ${symbol}() {
  // An array, not a constexpr string_view: measuring a long literal at compile time exceeds
  // GCC's constexpr loop limit (the 49,233 common passwords do).
  static constexpr char kText[] = R\"sg_embedded(@content@)sg_embedded\";
  return std::string_view(kText, sizeof kText - 1);
}
}  // namespace sg::embedded
" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${abs})
  target_sources(${target} PRIVATE ${out})
endfunction()
