// The connection coroutine, written once and instantiated for plain TCP and for TLS.
// Each connection is one coroutine on its own strand, so its state needs no locks.
#include "server/session.h"

// Boost 1.74's Asio uses std::exchange without including <utility>, so it must come
// first; the comment line after it stops clang-format from sorting it into the block.
#include <utility>
// Other system and library headers.
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

#include "core/log.h"
#include "server/diagnostics.h"
#include "server/request_parser.h"
#include "server/response_head.h"
#include "server/target.h"

namespace sg::server {

// ---- SessionRegistry ----------------------------------------------------------------------

uint64_t SessionRegistry::add(std::weak_ptr<StoppableSession> session,
                              boost::asio::any_io_executor executor) {
  std::lock_guard lock(mutex_);
  uint64_t id = next_id_++;
  sessions_.emplace(id, Entry{std::move(session), std::move(executor)});
  return id;
}

void SessionRegistry::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void SessionRegistry::request_stop_all() {
  std::vector<std::pair<std::shared_ptr<StoppableSession>, boost::asio::any_io_executor>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : sessions_) {
      if (auto session = entry.session.lock())
        live.emplace_back(std::move(session), entry.executor);
    }
  }
  // Posted outside the lock: the last reference to a session may be released here, and its
  // destructor removes it from this registry.
  for (auto& [session, executor] : live) {
    boost::asio::post(executor, [session = std::move(session)] { session->request_stop(); });
  }
}

// ---- Session ------------------------------------------------------------------------------

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// After a response that ends the connection, unread input is drained for a while before
// closing: closing a socket with unread data sends RST, which can destroy the response in
// the client's receive buffer before it is read (RFC 9112 §9.6).
constexpr std::chrono::seconds kLingerTimeout{1};
constexpr size_t kLingerMaxBytes = 1024 * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Where a connection is, for deciding what a stop request may interrupt.
enum class Phase {
  kHandshake,  // TLS handshake; no request yet.
  kIdle,       // Waiting for a request with nothing buffered.
  kBusy,       // A request has arrived; its response is owed.
  kClosing,    // Response written; draining before close.
};

// Whether to drain unread input before closing.
enum class Linger { kDrainInput, kNone };

auto redirect(boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

const boost::system::error_category& http_category() {
  return http::make_error_code(http::error::bad_method).category();
}

template <class Stream>
class Session final : public StoppableSession,
                      public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket socket, SessionContext& context, std::string remote_address)
      : stream_(make_stream(std::move(socket), context)), context_(context) {
    request_.remote_address = std::move(remote_address);
    request_.secure = kTls;
  }

  ~Session() override {
    if (id_ != 0) context_.registry.remove(id_);
  }

  // REQUIRES: called once, on a session owned by a shared_ptr.
  void enroll() { id_ = context_.registry.add(this->weak_from_this(), stream_.get_executor()); }

  void request_stop() override {
    stop_requested_ = true;
    if (phase_ != Phase::kBusy) {
      boost::system::error_code ignored;
      lowest().socket().cancel(ignored);
    }
  }

  // The coroutine takes shared ownership so the session lives as long as the connection.
  static net::awaitable<void> run(std::shared_ptr<Session> self) { co_await self->serve(); }

 private:
  static Stream make_stream(tcp::socket socket, SessionContext& context) {
    if constexpr (kTls) {
      return Stream(beast::tcp_stream(std::move(socket)), *context.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const ServerOptions& options() const { return context_.options; }

  net::awaitable<void> serve() {
    boost::system::error_code ec;
    if constexpr (kTls) {
      lowest().expires_after(options().read_timeout);
      co_await stream_.async_handshake(net::ssl::stream_base::server, redirect(ec));
      if (ec) {
        lowest().close();
        co_return;
      }
    }

    while (!stop_requested_) {
      RequestParser parser(request_, options().max_header_bytes, options().max_body_bytes);
      phase_ = buffer_.size() == 0 ? Phase::kIdle : Phase::kBusy;
      // One deadline covers the idle wait, the header and the body, so a client cannot
      // hold a connection by trickling bytes.
      lowest().expires_after(options().read_timeout);
      co_await http::async_read_header(stream_, buffer_, parser, redirect(ec));
      phase_ = Phase::kBusy;
      if (!ec && !parser.is_done()) {
        if (parser.expects_continue() && parser.version() >= 11) {
          co_await net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                                    redirect(ec));
        }
        if (!ec) co_await http::async_read(stream_, buffer_, parser, redirect(ec));
      }

      if (ec) {
        std::optional<api::Response> rejection = rejection_for(ec, parser.violation());
        if (!rejection) break;
        observe(*rejection, parser.started());
        bool written = co_await write(*rejection, Persistence::kClose, parser.version());
        co_await close(written ? Linger::kDrainInput : Linger::kNone);
        co_return;
      }

      api::Response response = respond();
      bool stopping = stop_requested_ || context_.stopping.load(std::memory_order_relaxed);
      Persistence persistence =
          parser.keep_alive() && !stopping ? Persistence::kKeepAlive : Persistence::kClose;
      observe(response, parser.started());
      if (!co_await write(response, persistence, parser.version())) break;
      if (persistence == Persistence::kClose) {
        co_await close(Linger::kDrainInput);
        co_return;
      }
    }
    co_await close(Linger::kNone);
  }

  // The handler's answer to a complete request, or the server's own when the target is
  // invalid, the handler throws or its response cannot be sent.
  api::Response respond() {
    auto target = parse_target(request_.target);
    if (!target.ok()) {
      return api::problem(400, "Bad Request", target.error().message, target.error().field);
    }
    request_.path = std::move(target->path);
    request_.query = std::move(target->query);
    try {
      api::Response response = context_.handler->handle(request_);
      if (core::Status valid = check_response(response); !valid.ok()) {
        return internal_error("server.invalid_response", response.route, valid.error().message);
      }
      return response;
    } catch (...) {
      return internal_error("server.handler_exception", "unmatched",
                            exception_type_name(std::current_exception()));
    }
  }

  // A 500 that the client can quote and an operator can find: the request id is in the
  // body, in X-Request-Id and in the log line, which carries nothing else about the request.
  static api::Response internal_error(std::string_view event, std::string_view route,
                                      std::string_view cause) {
    std::string request_id = new_request_id();
    core::log(core::LogLevel::kError, event,
              {{"request_id", request_id}, {"route", route}, {"cause", cause}});
    api::Response response =
        api::problem(500, "Internal Server Error",
                     "The server could not complete this request. Quote request id " + request_id +
                         " when reporting it.");
    response.set_header("X-Request-Id", request_id);
    return response;
  }

  // The response owed for a request that could not be read, or nullopt when the
  // connection should simply close: the peer left, timed out, or the server is stopping.
  std::optional<api::Response> rejection_for(const boost::system::error_code& ec,
                                             std::string_view violation) const {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      return api::problem(431, "Request Header Fields Too Large",
                          "The request line and header fields exceed " +
                              std::to_string(options().max_header_bytes) + " bytes.");
    }
    if (ec == http::error::body_limit) {
      return api::problem(
          413, "Content Too Large",
          "The request body exceeds " + std::to_string(options().max_body_bytes) + " bytes.");
    }
    if (ec.category() != http_category() || ec == http::error::end_of_stream ||
        ec == http::error::partial_message) {
      return std::nullopt;
    }
    // Beast's messages ("bad method", "bad chunk") name the rule broken, not the input.
    std::string rule = violation.empty() ? ec.message() : std::string(violation);
    return api::problem(400, "Bad Request", "The request is not valid HTTP/1.1: " + rule + ".");
  }

  void observe(const api::Response& response,
               std::optional<std::chrono::steady_clock::time_point> started) {
    if (!options().on_response) return;
    auto now = std::chrono::steady_clock::now();
    try {
      options().on_response(request_, response, now - started.value_or(now));
    } catch (...) {
      std::string cause = exception_type_name(std::current_exception());
      core::log(core::LogLevel::kError, "server.observer_exception",
                {{"route", response.route}, {"cause", cause}});
    }
  }

  // Returns false when the connection failed.
  net::awaitable<bool> write(const api::Response& response, Persistence persistence,
                             int request_version) {
    head_.clear();
    append_response_head(response, persistence, request_version, current_http_date(), head_);
    bool send_body = request_.method != "HEAD" && status_has_body(response.status);
    std::array<net::const_buffer, 2> buffers = {
        net::buffer(head_), send_body ? net::buffer(response.body) : net::const_buffer()};
    boost::system::error_code ec;
    lowest().expires_after(options().read_timeout);
    co_await net::async_write(stream_, buffers, redirect(ec));
    co_return !ec;
  }

  net::awaitable<void> close(Linger linger) {
    phase_ = Phase::kClosing;
    boost::system::error_code ec;
    lowest().expires_after(kLingerTimeout);
    if constexpr (kTls) {
      // close_notify tells a client that is still there that nothing was truncated.
      if (linger == Linger::kDrainInput || stop_requested_) {
        co_await stream_.async_shutdown(redirect(ec));
      }
    } else {
      lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (linger == Linger::kDrainInput && !stop_requested_) {
        size_t drained = 0;
        while (!ec && drained < kLingerMaxBytes) {
          drained += co_await lowest().async_read_some(buffer_.prepare(16 * 1024), redirect(ec));
        }
      }
    }
    lowest().close();
  }

  Stream stream_;
  SessionContext& context_;
  beast::flat_buffer buffer_;  // Reused across requests; holds pipelined input.
  api::Request request_;       // Reused across requests to keep string capacity.
  std::string head_;           // Reused across responses.
  Phase phase_ = kTls ? Phase::kHandshake : Phase::kIdle;
  bool stop_requested_ = false;
  uint64_t id_ = 0;
};

template <class Stream>
void launch(tcp::socket socket, SessionContext& context, std::string remote_address) {
  auto executor = socket.get_executor();
  auto session =
      std::make_shared<Session<Stream>>(std::move(socket), context, std::move(remote_address));
  session->enroll();
  net::co_spawn(
      executor, Session<Stream>::run(std::move(session)), [](std::exception_ptr exception) {
        if (exception) {
          std::string cause = exception_type_name(exception);
          core::log(core::LogLevel::kError, "server.session_exception", {{"cause", cause}});
        }
      });
}

}  // namespace

void start_session(tcp::socket socket, SessionContext& context) {
  try {
    boost::system::error_code ec;
    // Responses go out in one write; Nagle would only delay them.
    socket.set_option(tcp::no_delay(true), ec);
    tcp::endpoint peer = socket.remote_endpoint(ec);
    std::string remote_address = ec ? std::string() : peer.address().to_string();
    if (context.tls != nullptr) {
      launch<TlsStream>(std::move(socket), context, std::move(remote_address));
    } else {
      launch<PlainStream>(std::move(socket), context, std::move(remote_address));
    }
  } catch (...) {
    std::string cause = exception_type_name(std::current_exception());
    core::log(core::LogLevel::kError, "server.session_start_failed", {{"cause", cause}});
  }
}

}  // namespace sg::server
