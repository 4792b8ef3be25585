// A second factor at sign-in (OWASP ASVS 5.0 V6.3.3): completing a sign-in with a code, a
// user's own enrolment and removal, and an administrator's reset (access/second_factor.h
// ledgers each change). Secrets and recovery codes leave only in the one response that
// creates them.
#include "api/app.h"
#include "api/errors.h"
#include "api/json_io.h"

namespace sg::api {
namespace {

using nlohmann::json;

// The server's second-factor key is missing or is not the one the secret was sealed under
// (access/second_factor_key.h): nothing is accepted, and the body says no more than that.
std::pair<std::string, std::optional<std::string>> cannot_check() {
  return {"Second factors cannot be set up or checked at the moment (the server's key)", "Problem"};
}

Response throttled(std::chrono::seconds wait) {
  auto r = problem(429, "Too many requests", "too many wrong codes; wait before trying again");
  r.set_header("Retry-After", std::to_string(wait.count()));
  return r;
}

}  // namespace

void App::add_second_factor_routes() {
  second_factors_ = std::make_unique<access::SecondFactors>(
      services_.store, services_.ledger, services_.clock, services_.accounts.second_factor_key());
  auto& factors = *second_factors_;
  router_.add({.method = "POST",
               .path = "/api/v1/session/second-factor",
               .auth = Auth::kPublic,
               .operation_id = "completeSignIn",
               .summary = "Sign in, second step: {second_factor_token (from POST /api/v1/session), "
                          "code (6 digits, or a recovery code)}; sets the session cookie",
               .tag = "session",
               .request_schema = "SecondFactorSignInRequest",
               .responses = {{200, {"Signed in", "Me"}},
                             {400, {"Malformed body", "Problem"}},
                             {401, {"Wrong or used code, or the sign-in expired", "Problem"}},
                             {429,
                              {"Too many failed sign-ins for this username or from this address; "
                               "wait Retry-After seconds",
                               "Problem"}},
                             {503, cannot_check()}},
               .handler = [this](Context& ctx) { return complete_sign_in(ctx); }});
  router_.add({.method = "POST",
               .path = "/api/v1/session/second-factor/enrolment",
               .operation_id = "startSecondFactorEnrolment",
               .summary =
                   "Start (or start again) enrolling an authenticator app: the response holds "
                   "the secret and its otpauth:// URI, shown this once. Not in force until "
                   "confirmed",
               .tag = "session",
               .responses = {{201, {"Started", "SecondFactorEnrolment"}},
                             {401, {"Not signed in", "Problem"}},
                             {409, {"You have a second factor; remove it first", "Problem"}},
                             {503, cannot_check()}},
               .handler = [&factors](Context& ctx) {
                 auto enrolment = factors.start_enrolment(*ctx.principal);
                 if (!enrolment.ok()) return error_response(enrolment.error());
                 return json_response(
                     201, {{"secret", enrolment->secret}, {"otpauth_uri", enrolment->otpauth_uri}});
               }});
  router_.add({.method = "POST",
               .path = "/api/v1/session/second-factor/enrolment/confirmation",
               .operation_id = "confirmSecondFactorEnrolment",
               .summary = "Confirm enrolment with a first code from the app: {code}. The response "
                          "holds ten single-use recovery codes, shown this once",
               .tag = "session",
               .request_schema = "SecondFactorCodeRequest",
               .responses = {{200, {"In force", "RecoveryCodes"}},
                             {400, {"The code is wrong; `field` names it", "Problem"}},
                             {401, {"Not signed in", "Problem"}},
                             {409, {"No enrolment started, or already confirmed", "Problem"}},
                             {503, cannot_check()}},
               .handler = [&factors](Context& ctx) {
                 auto body = parse_json_body(ctx.request, 16 * 1024);
                 if (!body.ok()) return error_response(body.error());
                 auto code = string_field(*body, "code", 64);
                 if (!code.ok()) return error_response(code.error());
                 auto codes = factors.confirm_enrolment(*ctx.principal, *code);
                 if (!codes.ok()) return error_response(codes.error());
                 return json_response(200, {{"recovery_codes", *codes}});
               }});
  router_.add(
      {.method = "POST",
       .path = "/api/v1/session/second-factor/removal",
       .operation_id = "removeSecondFactor",
       .summary = "Remove your own second factor, to enrol a new one: {current_password, code "
                  "(6 digits, or a recovery code)}",
       .tag = "session",
       .request_schema = "SecondFactorRemovalRequest",
       .responses =
           {{204, {"Removed", std::nullopt}},
            {400, {"Invalid input, or the password or code is wrong; `field` names it", "Problem"}},
            {401, {"Not signed in", "Problem"}},
            {409, {"You have no second factor", "Problem"}},
            {429, {"Too many wrong passwords or codes; wait Retry-After seconds", "Problem"}},
            {503, cannot_check()}},
       .handler = [this, &factors](Context& ctx) {
         auto body = parse_json_body(ctx.request, 16 * 1024);
         if (!body.ok()) return error_response(body.error());
         auto password = string_field(*body, "current_password", 1024);
         if (!password.ok()) return error_response(password.error());
         auto code = string_field(*body, "code", 64);
         if (!code.ok()) return error_response(code.error());
         // As for a password change: a stolen session must not be a way round the sign-in
         // throttle (ASVS V6.3.1), so wrong passwords and codes count as failed sign-ins.
         const auto& username = ctx.principal->user.username;
         const auto& address = ctx.request.remote_address;
         if (auto wait = login_throttle_.wait(username, address); wait.count() > 0) {
           return throttled(wait);
         }
         auto st = factors.remove(*ctx.principal, *password, *code);
         if (!st.ok()) {
           if (st.error().code == core::Code::kInvalidArgument) {
             if (auto wait = login_throttle_.failed(username, address); wait.count() > 0) {
               return throttled(wait);
             }
           }
           return error_response(st.error());
         }
         login_throttle_.succeeded(username);
         return no_content();
       }});
  router_.add({.method = "DELETE",
               .path = "/api/v1/users/{username}/second-factor",
               .operation_id = "resetSecondFactor",
               .summary =
                   "Reset a user's second factor (a lost phone): it and their recovery codes "
                   "are removed and every session of theirs ends; they enrol again at next "
                   "sign-in",
               .tag = "admin",
               .responses = {{204, {"Reset", std::nullopt}},
                             {401, {"Not signed in", "Problem"}},
                             {403, {"Only administrators manage accounts", "Problem"}},
                             {404, {"No such user", "Problem"}},
                             {409, {"The user has no second factor", "Problem"}}},
               .handler = [&factors](Context& ctx) {
                 auto st = factors.reset(ctx.params.at("username"), ctx.principal->user.id);
                 if (!st.ok()) return error_response(st.error());
                 return no_content();
               }});
}

}  // namespace sg::api
