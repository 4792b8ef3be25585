// Password blocklists (OWASP ASVS 5.0 V6.2.4, V6.2.11, V6.1.2): the commonest passwords and
// the context-specific words of the product, the partnership and the account. The lists are
// compiled in from data/passwords/ (see SOURCES.md there) and read once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/access_types.h"

namespace sg::access {

// How many passwords the common-password list holds (49,233 from @zxcvbn-ts/language-common).
size_t common_password_count();

// True if `password`, compared without regard to ASCII case, is on the common-password list,
// or is one of them with only digits, symbols and spaces before or after it ("Dragon2024!").
// Thread-safe; the list is loaded on first use.
bool is_common_password(std::string_view password);

// The product's own context words (data/passwords/context_words.txt), lower case.
const std::vector<std::string>& product_context_words();

// Every context word for an account: the product's, the username and its parts (split at
// '.', '_' and '-'), the parts of the display name, and each agency's code and the words of
// its name. Lower case, without duplicates; words of one or two letters are left out.
std::vector<std::string> context_words(std::string_view username, std::string_view display_name,
                                       const std::vector<domain::Agency>& agencies);

// True if `password` contains one of `words` (which must be lower case), comparing without
// regard to ASCII case. A word shorter than four letters counts only when it is the whole
// password give or take digits, symbols and spaces before or after it, so that a short
// agency code does not rule out every password that happens to contain its letters.
bool contains_context_word(std::string_view password, const std::vector<std::string>& words);

// The blocklists as one check for a password a person chose: InvalidArgument naming `field`
// if it is common or contains a context word. The message never repeats the password or the
// word it matched.
core::Status check_password_blocklists(std::string_view password,
                                       const std::vector<std::string>& context,
                                       std::string_view field);

}  // namespace sg::access
