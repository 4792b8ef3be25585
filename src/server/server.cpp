// Server: option checks, TLS set-up, the listener coroutine, the io threads and the
// graceful stop that drains connections.
#include "server/server.h"

// Boost 1.74's Asio uses std::exchange without including <utility>, so it must come
// first; the comment line after it stops clang-format from sorting it into the block.
#include <utility>
// Other system and library headers.
#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <limits>
#include <thread>
#include <vector>

#include "core/log.h"
#include "server/diagnostics.h"
#include "server/session.h"

namespace sg::server {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// While stopping, how often to look whether every connection has gone.
constexpr std::chrono::milliseconds kDrainPollInterval{10};
// How long to wait before accepting again after accept() fails (EMFILE and the like
// persist until some connection closes; retrying at once would spin).
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr int kMaxIoThreads = 256;

auto redirect(boost::system::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

// "127.0.0.1:8080" or "[::1]:8080".
std::string describe(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  std::string address = endpoint.address().to_string(ec);
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

core::Status check_options(const ServerOptions& options) {
  if (options.io_threads < 1 || options.io_threads > kMaxIoThreads) {
    return core::invalid_argument(
        "io_threads must be between 1 and " + std::to_string(kMaxIoThreads), "io_threads");
  }
  if (options.max_header_bytes == 0 ||
      options.max_header_bytes > std::numeric_limits<std::uint32_t>::max()) {
    return core::invalid_argument("max_header_bytes must be between 1 and 4294967295",
                                  "max_header_bytes");
  }
  if (options.read_timeout.count() <= 0) {
    return core::invalid_argument("read_timeout must be positive", "read_timeout");
  }
  if (options.shutdown_grace.count() < 0) {
    return core::invalid_argument("shutdown_grace must not be negative", "shutdown_grace");
  }
  if (options.tls_certificate_file.has_value() != options.tls_private_key_file.has_value()) {
    std::string_view missing =
        options.tls_certificate_file ? "tls_private_key_file" : "tls_certificate_file";
    return core::invalid_argument(
        "HTTPS needs both tls_certificate_file and tls_private_key_file; " + std::string(missing) +
            " is not set",
        std::string(missing));
  }
  return core::ok_status();
}

// A TLS 1.2+ server context holding the configured certificate chain and key.
core::Result<std::unique_ptr<ssl::context>> load_tls(const std::string& certificate_file,
                                                     const std::string& private_key_file) {
  std::unique_ptr<ssl::context> context;
  try {
    context = std::make_unique<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception&) {
    return core::internal("cannot create a TLS context");
  }
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return core::internal("cannot require TLS 1.2 or later");
  }
  // Compression invites CRIME; renegotiation by clients is a denial-of-service lever.
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // An encrypted key would make OpenSSL prompt on the terminal; fail instead.
  SSL_CTX_set_default_passwd_cb(native, [](char*, int, int, void*) { return 0; });

  boost::system::error_code ec;
  context->use_certificate_chain_file(certificate_file, ec);
  if (ec) {
    return core::invalid_argument(
        "cannot load a PEM certificate chain from \"" + certificate_file + "\"",
        "tls_certificate_file");
  }
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec) {
    return core::invalid_argument(
        "cannot load an unencrypted PEM private key from \"" + private_key_file + "\"",
        "tls_private_key_file");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return core::invalid_argument(
        "the key in tls_private_key_file does not match the certificate in "
        "tls_certificate_file",
        "tls_private_key_file");
  }
  return context;
}

// A numeric address as is; otherwise the first address the name resolves to.
core::Result<tcp::endpoint> resolve(const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  net::io_context scratch;
  tcp::resolver resolver(scratch);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return core::invalid_argument("host \"" + host +
                                      "\" is neither an IP address nor a "
                                      "name that resolves",
                                  "host");
  }
  return results.begin()->endpoint();
}

core::Error bind_error(const tcp::endpoint& endpoint, const boost::system::error_code& ec) {
  std::string address = "address " + describe(endpoint);
  if (ec == net::error::address_in_use) return core::unavailable(address + " is already in use");
  if (ec == boost::system::errc::address_not_available) {
    return core::unavailable(address + " is not an address of this machine");
  }
  if (ec == net::error::access_denied) {
    return core::unavailable(address + " needs privileges to bind");
  }
  return core::unavailable("cannot listen on " + address + ": " + ec.message());
}

}  // namespace

// Members are destroyed in reverse order: the acceptor and io_context go first, and with
// the io_context any unfinished session coroutines, which still use `context` and `tls`.
struct Server::Impl {
  Impl(ServerOptions options, std::shared_ptr<api::Handler> handler,
       std::unique_ptr<ssl::context> tls_context)
      : tls(std::move(tls_context)),
        ioc(options.io_threads),
        strand(net::make_strand(ioc)),
        acceptor(strand),
        work(net::make_work_guard(ioc)) {
    context.options = std::move(options);
    context.handler = std::move(handler);
    context.tls = tls.get();
  }

  net::awaitable<void> accept_loop() {
    net::steady_timer retry(strand);
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(net::make_strand(ioc), redirect(ec));
      if (stopping) co_return;
      if (ec == net::error::operation_aborted) co_return;
      if (ec) {
        std::string cause = ec.message();
        core::log(core::LogLevel::kWarn, "server.accept_failed", {{"cause", cause}});
        retry.expires_after(kAcceptRetryDelay);
        co_await retry.async_wait(redirect(ec));
        continue;
      }
      start_session(std::move(socket), context);
    }
  }

  // Runs on the strand, like accept_loop, so that no connection is accepted after the
  // registry has been told to stop.
  void begin_stop() {
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    if (signals) signals->cancel(ignored);
    context.registry.request_stop_all();
    net::co_spawn(strand, drain(), net::detached);
  }

  net::awaitable<void> drain() {
    auto deadline = std::chrono::steady_clock::now() + context.options.shutdown_grace;
    net::steady_timer poll(strand);
    while (context.registry.size() > 0 && std::chrono::steady_clock::now() < deadline) {
      boost::system::error_code ec;
      poll.expires_after(kDrainPollInterval);
      co_await poll.async_wait(redirect(ec));
    }
    if (size_t left = context.registry.size(); left > 0) {
      // Connections still busy are dropped when the io_context is destroyed.
      core::log(core::LogLevel::kWarn, "server.shutdown_grace_expired",
                {{"connections", static_cast<std::int64_t>(left)}});
      ioc.stop();
    }
    // With no connections, no acceptor and no guard, the io threads run out of work.
    work.reset();
  }

  // Runs the io_context on this thread until it runs out of work or is stopped. A
  // completion handler that throws (none should) is logged and the loop resumes.
  void run_io() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (...) {
        std::string cause = exception_type_name(std::current_exception());
        core::log(core::LogLevel::kError, "server.io_thread_exception", {{"cause", cause}});
      }
    }
  }

  SessionContext context;
  std::unique_ptr<ssl::context> tls;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> strand;  // Acceptor, signals and stop.
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  net::executor_work_guard<net::io_context::executor_type> work;
  uint16_t port = 0;
  bool stopping = false;  // On the strand.
  std::atomic<bool> run_called{false};
};

core::Result<std::unique_ptr<Server>> Server::create(ServerOptions options,
                                                     std::shared_ptr<api::Handler> handler) {
  SG_ASSERT(handler != nullptr);
  SG_TRY(check_options(options));
  std::unique_ptr<ssl::context> tls;
  if (options.tls_certificate_file) {
    tls = SG_TRY(load_tls(*options.tls_certificate_file, *options.tls_private_key_file));
  }
  tcp::endpoint endpoint = SG_TRY(resolve(options.host, options.port));

  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(handler), std::move(tls));
    boost::system::error_code ec;
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) impl->acceptor.bind(endpoint, ec);
    if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return bind_error(endpoint, ec);
    impl->port = impl->acceptor.local_endpoint(ec).port();
    Impl* raw = impl.get();
    net::co_spawn(raw->strand, raw->accept_loop(), [](std::exception_ptr exception) {
      if (exception) {
        std::string cause = exception_type_name(exception);
        core::log(core::LogLevel::kError, "server.accept_loop_exception", {{"cause", cause}});
      }
    });
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (...) {
    return core::unavailable("cannot start listening on address " + describe(endpoint) + ": " +
                             exception_type_name(std::current_exception()));
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() = default;

uint16_t Server::port() const { return impl_->port; }

bool Server::secure() const { return impl_->tls != nullptr; }

void Server::run() {
  bool already_running = impl_->run_called.exchange(true);
  SG_ASSERT(!already_running);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->context.options.io_threads; ++i) {
    try {
      threads.emplace_back([this] { impl_->run_io(); });
    } catch (const std::system_error&) {
      // Serve with fewer threads rather than not at all.
      core::log(core::LogLevel::kWarn, "server.io_thread_not_started");
      break;
    }
  }
  impl_->run_io();
  for (auto& thread : threads) thread.join();
}

void Server::stop() {
  if (impl_->context.stopping.exchange(true)) return;
  net::post(impl_->strand, [impl = impl_.get()] { impl->begin_stop(); });
}

void Server::run_until_signal() {
  try {
    impl_->signals.emplace(impl_->strand, SIGINT, SIGTERM);
    impl_->signals->async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) stop();
    });
  } catch (const std::exception&) {
    core::log(core::LogLevel::kWarn, "server.signal_handling_unavailable");
  }
  run();
  impl_->signals.reset();
}

}  // namespace sg::server
