// One HTTP/1.1 connection: a coroutine that reads requests, calls the handler and writes
// responses until the connection closes, over plain TCP or TLS. Internal to src/server.
#pragma once

// Boost 1.74's Asio uses std::exchange without including <utility>, so it must come
// first; the comment line after it stops clang-format from sorting it into the block.
#include <utility>
// Other system and library headers.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "api/http.h"
#include "server/server.h"

namespace sg::server {

// What the listener can ask of a live connection.
class StoppableSession {
 public:
  virtual ~StoppableSession() = default;
  // Asks the connection to close once its current response (if any) is written; an idle
  // connection closes at once. REQUIRES: called on the session's executor.
  virtual void request_stop() = 0;
};

// The live connections, so that stop() can reach them and wait for them to go.
// Thread-safe; touched once when a connection opens and once when it closes.
class SessionRegistry {
 public:
  uint64_t add(std::weak_ptr<StoppableSession> session, boost::asio::any_io_executor executor);
  void remove(uint64_t id);
  size_t size() const;
  // Posts request_stop() to every live session on its own executor.
  void request_stop_all();

 private:
  struct Entry {
    std::weak_ptr<StoppableSession> session;
    boost::asio::any_io_executor executor;
  };
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, Entry> sessions_;
};

// State shared by every connection of one server. Must outlive all its sessions.
struct SessionContext {
  ServerOptions options;
  std::shared_ptr<api::Handler> handler;
  boost::asio::ssl::context* tls = nullptr;  // Set when serving HTTPS.
  SessionRegistry registry;
  // Set by Server::stop() before sessions are told on their strands, so that a response
  // being produced at that moment already says "Connection: close".
  std::atomic<bool> stopping{false};
};

// Serves HTTP on an accepted connection until it closes. The session runs as one
// coroutine on the socket's executor, which must be a strand of the server's io_context.
// Never throws: a connection that cannot be set up is closed and logged.
void start_session(boost::asio::ip::tcp::socket socket, SessionContext& context);

}  // namespace sg::server
