// End-to-end tests of the HTTP server over real sockets on a port chosen by the kernel:
// keep-alive, limits, errors, stop, TLS and the response observer.
#include "server/server.h"

// Boost 1.74's Asio uses std::exchange without including <utility>, so it must come
// first; the comment line after it stops clang-format from sorting it into the block.
#include <utility>
// Other system and library headers.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace sg::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

// Every wait on the network is bounded, so a server bug fails a test instead of hanging it.
constexpr auto kIoTimeout = 5s;

using Reply = http::response<http::string_body>;

// ---- Test handler -------------------------------------------------------------------------

// Answers "path=<path> query=<query>" with route "/echo", and misbehaves on request.
class TestHandler : public api::Handler {
 public:
  api::Response handle(const api::Request& request) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (request.path == "/throw") throw std::runtime_error("must not be logged");
    if (request.path == "/slow") {
      slow_entered = true;
      std::this_thread::sleep_for(slow_for);
    }
    api::Response response;
    response.route = "/echo";
    response.set_header("Content-Type", "text/plain");
    response.body = "path=" + request.path + " query=" + request.query;
    if (request.path == "/body") response.body = request.body;
    if (request.path == "/frame") response.set_header("X-Frame-Options", "SAMEORIGIN");
    if (request.path == "/split") response.set_header("Location", "/x\r\nSet-Cookie: a=b");
    return response;
  }

  std::vector<api::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::atomic<bool> slow_entered{false};
  std::chrono::milliseconds slow_for{300};

 private:
  mutable std::mutex mutex_;
  std::vector<api::Request> requests_;
};

// ---- Running server -----------------------------------------------------------------------

// A server on 127.0.0.1 and a kernel-chosen port, running on its own thread.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = {},
                         std::shared_ptr<TestHandler> handler = std::make_shared<TestHandler>())
      : handler_(std::move(handler)) {
    options.host = "127.0.0.1";
    options.port = 0;
    auto created = Server::create(std::move(options), handler_);
    if (!created.ok()) {
      ADD_FAILURE() << created.error().to_string();
      return;
    }
    server_ = std::move(created).value();
    thread_ = std::thread([this] { server_->run(); });
  }

  ~RunningServer() { stop_and_wait(); }

  // Stops the server and returns how long run() took to return.
  std::chrono::milliseconds stop_and_wait() {
    if (!thread_.joinable()) return 0ms;
    auto start = std::chrono::steady_clock::now();
    server_->stop();
    thread_.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }

  uint16_t port() const { return server_ ? server_->port() : 0; }
  Server& server() { return *server_; }
  TestHandler& handler() { return *handler_; }

 private:
  std::shared_ptr<TestHandler> handler_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// ---- Clients ------------------------------------------------------------------------------

// A client that writes raw bytes and reads parsed responses. Stream is tcp::socket or
// ssl::stream<tcp::socket>.
template <class Stream>
class BasicClient {
 public:
  template <class... Args>
  explicit BasicClient(uint16_t port, Args&... args) : stream_(ioc_, args...) {
    boost::system::error_code ec;
    lowest().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  tcp::socket& lowest() { return beast::get_lowest_layer(stream_); }
  Stream& stream() { return stream_; }

  // Runs one asynchronous operation to completion or timeout. Returns its error.
  template <class Start>
  boost::system::error_code run(Start start, std::chrono::nanoseconds timeout = kIoTimeout) {
    std::optional<boost::system::error_code> result;
    start([&](boost::system::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!result) {
      boost::system::error_code ignored;
      lowest().cancel(ignored);
      ioc_.restart();
      ioc_.run();
      return net::error::timed_out;
    }
    return *result;
  }

  void send(std::string_view bytes) {
    auto ec = run([&](auto handler) {
      net::async_write(stream_, net::buffer(bytes.data(), bytes.size()), handler);
    });
    EXPECT_FALSE(ec) << ec.message();
  }

  // Reads one response; nullopt when the connection closed or nothing came in time.
  std::optional<Reply> read(bool head_request = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head_request);
    auto ec = run([&](auto handler) { http::async_read(stream_, buffer_, parser, handler); });
    if (ec) return std::nullopt;
    return parser.release();
  }

  std::optional<Reply> request(std::string_view bytes) {
    send(bytes);
    return read();
  }

  // True when the server closes the connection within the timeout.
  bool closed_by_server(std::chrono::nanoseconds timeout = kIoTimeout) {
    char byte;
    auto ec = run([&](auto handler) { stream_.async_read_some(net::buffer(&byte, 1), handler); },
                  timeout);
    return ec && ec != net::error::timed_out;
  }

 private:
  net::io_context ioc_;
  Stream stream_;
  beast::flat_buffer buffer_;
};

using Client = BasicClient<tcp::socket>;
using TlsClient = BasicClient<ssl::stream<tcp::socket>>;

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

void expect_problem(const std::optional<Reply>& reply, int status) {
  ASSERT_TRUE(reply.has_value()) << "no response";
  EXPECT_EQ(reply->result_int(), status) << reply->body();
  EXPECT_EQ((*reply)[http::field::content_type], "application/problem+json");
  EXPECT_NE(reply->body().find("\"status\":" + std::to_string(status)), std::string::npos)
      << reply->body();
}

// ---- Round trips --------------------------------------------------------------------------

TEST(Server, AnswersTwoRequestsOnOneKeepAliveConnection) {
  RunningServer server;
  Client client(server.port());
  auto first = client.request(get("/one"));
  auto second = client.request(get("/two"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->result_int(), 200);
  EXPECT_EQ(first->body(), "path=/one query=");
  EXPECT_TRUE(first->keep_alive());
  EXPECT_EQ(second->body(), "path=/two query=");
  EXPECT_EQ((*first)[http::field::server], "safeguard");
  EXPECT_EQ((*first)[http::field::content_length], "16");
  EXPECT_FALSE((*first)[http::field::date].empty());
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
  RunningServer server;
  Client client(server.port());
  client.send(get("/a") + get("/b") + get("/c"));
  for (std::string_view path : {"/a", "/b", "/c"}) {
    auto reply = client.read();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body(), "path=" + std::string(path) + " query=");
  }
}

TEST(Server, PassesDecodedPathRawQueryAndLowerCaseHeadersToHandler) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request(get("/people/a%20b?name=x%20y&n=1", "X-Custom-Header: Value\r\n"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body(), "path=/people/a b query=name=x%20y&n=1");
  auto requests = server.handler().requests();
  ASSERT_EQ(requests.size(), 1u);
  const api::Request& request = requests[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/people/a%20b?name=x%20y&n=1");
  EXPECT_EQ(request.header("x-custom-header"), "Value");
  EXPECT_EQ(request.header("host"), "localhost");
  EXPECT_EQ(request.remote_address, "127.0.0.1");
  EXPECT_FALSE(request.secure);
}

TEST(Server, DeliversContentLengthAndChunkedBodies) {
  RunningServer server;
  Client client(server.port());
  auto sized =
      client.request("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world");
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->body(), "hello world");
  auto chunked = client.request(
      "POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body(), "hello world");
}

TEST(Server, PassesUnknownMethodsToHandler) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 200);
  EXPECT_EQ(server.handler().requests().at(0).method, "BREW");
}

TEST(Server, AnswersHeadWithLengthButWithoutBody) {
  RunningServer server;
  Client client(server.port());
  client.send("HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\n" + get("/next"));
  auto head = client.read(/*head_request=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ((*head)[http::field::content_length], "16");
  EXPECT_TRUE(head->body().empty());
  // Had a body been sent, it would be misread as the start of this response.
  auto next = client.read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "path=/next query=");
}

TEST(Server, AddsSecurityHeadersUnlessHandlerSetThem) {
  RunningServer server;
  Client client(server.port());
  auto plain = client.request(get("/"));
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ((*plain)["Referrer-Policy"], "no-referrer");
  EXPECT_EQ((*plain)["X-Frame-Options"], "DENY");
  auto framed = client.request(get("/frame"));
  ASSERT_TRUE(framed);
  EXPECT_EQ((*framed)["X-Frame-Options"], "SAMEORIGIN");
  EXPECT_EQ(framed->count("X-Frame-Options"), 1u);
}

TEST(Server, ClosesHttp10ConnectionUnlessKeepAliveAsked) {
  RunningServer server;
  {
    Client client(server.port());
    auto reply = client.request("GET /old HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body(), "path=/old query=");
    EXPECT_TRUE(client.closed_by_server());
  }
  Client client(server.port());
  auto first = client.request("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)[http::field::connection], "keep-alive");
  auto second = client.request("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body(), "path=/b query=");
}

TEST(Server, ClosesAfterResponseWhenClientAsks) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request(get("/", "Connection: close\r\n"));
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)[http::field::connection], "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST(Server, AnswersExpect100ContinueBeforeReadingBody) {
  RunningServer server;
  Client client(server.port());
  client.send(
      "POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100);
  client.send("data");
  auto reply = client.read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body(), "data");
}

// ---- Bad input ----------------------------------------------------------------------------

TEST(Server, AnswersMalformedRequestLineWith400ProblemAndCloses) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n");
  expect_problem(reply, 400);
  EXPECT_EQ((*reply)[http::field::connection], "close");
  EXPECT_TRUE(client.closed_by_server());
}

// Framing that a proxy in front might read differently is refused, not guessed at.
TEST(Server, AnswersAmbiguousBodyFramingWith400AndCloses) {
  RunningServer server;
  for (std::string_view framing :
       {"Transfer-Encoding: gzip\r\n", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: 4\r\nContent-Length: 5\r\n"}) {
    Client client(server.port());
    auto reply = client.request("POST /body HTTP/1.1\r\nHost: x\r\n" + std::string(framing) +
                                "\r\n0\r\n\r\n");
    expect_problem(reply, 400);
    EXPECT_TRUE(client.closed_by_server()) << framing;
  }
  EXPECT_TRUE(server.handler().requests().empty());
}

TEST(Server, AnswersHttp11RequestWithoutExactlyOneHostWith400) {
  RunningServer server;
  {
    Client client(server.port());
    auto reply = client.request("GET / HTTP/1.1\r\n\r\n");
    expect_problem(reply, 400);
    EXPECT_NE(reply->body().find("Host"), std::string::npos);
  }
  Client client(server.port());
  expect_problem(client.request("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_TRUE(server.handler().requests().empty());
}

TEST(Server, AnswersInvalidPercentEncodingWith400ProblemAndKeepsConnection) {
  RunningServer server;
  Client client(server.port());
  expect_problem(client.request(get("/a%zz")), 400);
  expect_problem(client.request(get("/a%00")), 400);
  auto next = client.request(get("/ok"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->result_int(), 200);
  EXPECT_TRUE(server.handler().requests().size() == 1);
}

TEST(Server, AnswersAnnouncedOversizedBodyWith413BeforeReadingIt) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  RunningServer server(options);
  Client client(server.port());
  // Only the header is sent: the limit applies to the announced length.
  auto reply = client.request("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  expect_problem(reply, 413);
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(server.handler().requests().empty());
}

TEST(Server, AnswersOversizedChunkedBodyWith413) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  RunningServer server(options);
  Client client(server.port());
  std::string chunk(600, 'x');
  auto reply =
      client.request("POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" +
                     chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
  expect_problem(reply, 413);
  EXPECT_TRUE(server.handler().requests().empty());
}

TEST(Server, AcceptsBodyOfExactlyTheLimit) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  RunningServer server(options);
  Client client(server.port());
  auto reply = client.request("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                              std::string(1000, 'y'));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 200);
  EXPECT_EQ(reply->body().size(), 1000u);
}

TEST(Server, AnswersOversizedHeadersWith431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  RunningServer server(options);
  Client client(server.port());
  auto reply = client.request(get("/", "X-Big: " + std::string(2000, 'a') + "\r\n"));
  expect_problem(reply, 431);
  EXPECT_TRUE(client.closed_by_server());
}

TEST(Server, ClosesConnectionWhenRequestIsNotCompletedInTime) {
  ServerOptions options;
  options.read_timeout = 1s;
  RunningServer server(options);
  Client client(server.port());
  auto start = std::chrono::steady_clock::now();
  client.send("GET / HTTP/1.1\r\nHo");
  EXPECT_TRUE(client.closed_by_server(4s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

// ---- Handler failures ---------------------------------------------------------------------

TEST(Server, AnswersHandlerExceptionWith500AndRequestIdThenKeepsServing) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request(get("/throw"));
  expect_problem(reply, 500);
  std::string request_id((*reply)["X-Request-Id"]);
  EXPECT_EQ(request_id.size(), 16u);
  EXPECT_NE(reply->body().find(request_id), std::string::npos);
  EXPECT_EQ(reply->body().find("must not be logged"), std::string::npos);
  auto next = client.request(get("/after"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->result_int(), 200);
  EXPECT_EQ(next->body(), "path=/after query=");
}

TEST(Server, Answers500RatherThanLetHandlerHeaderSplitTheResponse) {
  RunningServer server;
  Client client(server.port());
  auto reply = client.request(get("/split"));
  expect_problem(reply, 500);
  EXPECT_EQ(reply->count(http::field::set_cookie), 0u);
  EXPECT_FALSE((*reply)["X-Request-Id"].empty());
}

// ---- Start-up errors ----------------------------------------------------------------------

TEST(Server, ReportsPortInUseAsUnavailableNamingTheAddress) {
  ServerOptions options;
  options.port = 0;
  auto first = Server::create(options, std::make_shared<TestHandler>());
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  auto second = Server::create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::Code::kUnavailable);
  EXPECT_EQ(second.error().message,
            "address 127.0.0.1:" + std::to_string(options.port) + " is already in use");
}

TEST(Server, RejectsHostThatIsNoAddress) {
  ServerOptions options;
  options.host = "not an address!";
  auto created = Server::create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(created.error().field, "host");
}

TEST(Server, RejectsHalfConfiguredTls) {
  ServerOptions options;
  options.port = 0;
  options.tls_certificate_file = "/nonexistent/cert.pem";
  auto created = Server::create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(created.error().field, "tls_private_key_file");
}

TEST(Server, RejectsUnreadableCertificateNamingTheOption) {
  ServerOptions options;
  options.port = 0;
  options.tls_certificate_file = "/nonexistent/cert.pem";
  options.tls_private_key_file = "/nonexistent/key.pem";
  auto created = Server::create(options, std::make_shared<TestHandler>());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(created.error().field, "tls_certificate_file");
}

// ---- Stopping -----------------------------------------------------------------------------

TEST(Server, StopReturnsPromptlyWhileClientHoldsIdleKeepAliveConnection) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.request(get("/")));
  EXPECT_LT(server.stop_and_wait(), 1s);
  EXPECT_TRUE(client.closed_by_server(1s));
}

TEST(Server, StopLetsRequestInFlightFinishWithConnectionClose) {
  RunningServer server;
  Client client(server.port());
  client.send(get("/slow"));
  while (!server.handler().slow_entered) std::this_thread::sleep_for(1ms);
  std::thread stopper([&] { EXPECT_LT(server.stop_and_wait(), 1500ms); });
  auto reply = client.read();
  stopper.join();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->result_int(), 200);
  EXPECT_EQ((*reply)[http::field::connection], "close");
}

TEST(Server, StopGivesUpOnHandlersThatOutlastTheGrace) {
  ServerOptions options;
  options.shutdown_grace = 50ms;
  auto handler = std::make_shared<TestHandler>();
  handler->slow_for = 400ms;
  RunningServer server(options, handler);
  Client client(server.port());
  client.send(get("/slow"));
  while (!handler->slow_entered) std::this_thread::sleep_for(1ms);
  // run() waits for the handler call already under way, but no longer than that.
  EXPECT_LT(server.stop_and_wait(), 1s);
}

TEST(Server, StopBeforeRunMakesRunReturn) {
  auto created = Server::create(ServerOptions{.port = 0}, std::make_shared<TestHandler>());
  ASSERT_TRUE(created.ok());
  Server& server = **created;
  server.stop();
  auto start = std::chrono::steady_clock::now();
  server.run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

// ---- Observer -----------------------------------------------------------------------------

TEST(Server, ReportsEveryResponseToTheObserver) {
  struct Seen {
    std::string method;
    int status;
    std::string route;
    std::chrono::nanoseconds latency;
  };
  std::mutex mutex;
  std::vector<Seen> seen;
  ServerOptions options;
  options.on_response = [&](const api::Request& request, const api::Response& response,
                            std::chrono::nanoseconds latency) {
    std::lock_guard lock(mutex);
    seen.push_back({request.method, response.status, response.route, latency});
  };
  {
    RunningServer server(options);
    Client client(server.port());
    ASSERT_TRUE(client.request(get("/x")));
    ASSERT_TRUE(client.request(get("/throw")));
    ASSERT_TRUE(client.request("NOT HTTP\r\n\r\n"));
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_EQ(seen[0].route, "/echo");
  EXPECT_GT(seen[0].latency.count(), 0);
  EXPECT_EQ(seen[1].status, 500);
  EXPECT_EQ(seen[2].status, 400);
}

// ---- TLS ----------------------------------------------------------------------------------

struct TlsFiles {
  std::filesystem::path directory;
  std::string certificate;
  std::string private_key;
};

// A fresh P-256 key and a self-signed certificate for "localhost", valid for an hour.
TlsFiles write_self_signed_certificate() {
  std::random_device random;
  TlsFiles files;
  files.directory =
      std::filesystem::temp_directory_path() / ("sg_server_test_" + std::to_string(random()));
  std::filesystem::create_directories(files.directory);
  files.certificate = (files.directory / "cert.pem").string();
  files.private_key = (files.directory / "key.pem").string();

  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  X509_sign(certificate, key, EVP_sha256());

  FILE* out = std::fopen(files.certificate.c_str(), "w");
  PEM_write_X509(out, certificate);
  std::fclose(out);
  out = std::fopen(files.private_key.c_str(), "w");
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return files;
}

class ServerTls : public ::testing::Test {
 protected:
  void SetUp() override { files_ = write_self_signed_certificate(); }
  void TearDown() override { std::filesystem::remove_all(files_.directory); }

  ServerOptions tls_options() const {
    ServerOptions options;
    options.tls_certificate_file = files_.certificate;
    options.tls_private_key_file = files_.private_key;
    return options;
  }

  TlsFiles files_;
};

TEST_F(ServerTls, ServesHttpsAndMarksRequestsSecure) {
  RunningServer server(tls_options());
  ASSERT_TRUE(server.server().secure());
  ssl::context client_context(ssl::context::tls_client);
  client_context.set_verify_mode(ssl::verify_none);  // The certificate is self-signed.
  TlsClient client(server.port(), client_context);
  auto ec = client.run(
      [&](auto handler) { client.stream().async_handshake(ssl::stream_base::client, handler); });
  ASSERT_FALSE(ec) << ec.message();
  std::string version = SSL_get_version(client.stream().native_handle());
  EXPECT_TRUE(version == "TLSv1.2" || version == "TLSv1.3") << version;

  auto first = client.request(get("/secure"));
  auto second = client.request(get("/again"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body(), "path=/secure query=");
  EXPECT_EQ(second->body(), "path=/again query=");
  EXPECT_TRUE(server.handler().requests().at(0).secure);
}

TEST_F(ServerTls, RefusesTls11) {
  RunningServer server(tls_options());
  ssl::context client_context(ssl::context::tls_client);
  client_context.set_verify_mode(ssl::verify_none);
  SSL_CTX_set_min_proto_version(client_context.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(client_context.native_handle(), TLS1_1_VERSION);
  TlsClient client(server.port(), client_context);
  auto ec = client.run(
      [&](auto handler) { client.stream().async_handshake(ssl::stream_base::client, handler); });
  EXPECT_TRUE(ec);
}

TEST_F(ServerTls, ClosesPlainHttpSpokenToTlsPort) {
  RunningServer server(tls_options());
  Client client(server.port());
  client.send(get("/"));
  EXPECT_TRUE(client.closed_by_server());
  // Still serving.
  Client second(server.port());
  second.send(get("/"));
  EXPECT_TRUE(second.closed_by_server());
}

TEST_F(ServerTls, RejectsKeyThatDoesNotMatchCertificate) {
  TlsFiles other = write_self_signed_certificate();
  ServerOptions options = tls_options();
  options.tls_private_key_file = other.private_key;
  auto created = Server::create(options, std::make_shared<TestHandler>());
  std::filesystem::remove_all(other.directory);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, core::Code::kInvalidArgument);
  EXPECT_EQ(created.error().field, "tls_private_key_file");
}

}  // namespace
}  // namespace sg::server
