#include "model/candidates.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "model/thread_paths.hpp"

namespace bpf_litmus::model {
namespace {

constexpr int kUnknownLocation = -1;

// Inserts from -> to into a transitively closed relation, keeping it closed;
// false if the edge closes a cycle.
bool add_closed_edge(Relation& closure, std::size_t from, std::size_t to) {
  if (from == to || closure.contains(to, from)) return false;
  EventSet targets = closure.successors(to);
  targets.insert(to);
  for (std::size_t x = 0; x < closure.universe(); ++x) {
    if (x != from && !closure.contains(x, from)) continue;
    for (const std::size_t y : targets.elements()) closure.insert(x, y);
  }
  return true;
}

class CandidateSearch {
 public:
  CandidateSearch(const litmus::Test& test, const LocationTable& locations, const Limits& limits,
                  Pruning pruning, NonLocationReads non_location_reads,
                  const std::function<void(const Candidate&)>& visit)
      : locations_(locations),
        limits_(limits),
        pruning_(pruning),
        report_undefined_(non_location_reads == NonLocationReads::Report),
        visit_(visit) {
    for (std::size_t t = 0; t < test.threads.size(); ++t) {
      paths_.push_back(thread_paths(test, t, locations, limits));
    }
  }

  void run() {
    std::size_t combinations = 1;  // saturates at 2: only "one or several" matters
    for (const auto& paths : paths_) combinations = std::min<std::size_t>(combinations * paths.size(), 2);
    std::vector<std::size_t> choice(paths_.size(), 0);
    for (;;) {
      count_branch(combinations);
      combine(choice);
      search_read_from(0, initial_closure());
      // Next combination of one path per thread.
      std::size_t t = 0;
      while (t < choice.size() && ++choice[t] == paths_[t].size()) choice[t++] = 0;
      if (t == choice.size()) return;
    }
  }

 private:
  // Counts one branch of the search tree where there was a choice; the work
  // between two such branches is polynomial, so this bounds the search.
  void count_branch(std::size_t choices) {
    if (choices < 2) return;
    if (++branches_ > limits_.max_branches) {
      throw LimitExceeded("more than " + std::to_string(limits_.max_branches) +
                          " choices of paths, read-from and coherence order to try " +
                          "(Limits::max_branches)");
    }
  }

  static SymVal shifted(const SymVal& v, std::uint32_t var_base) {
    return v.known ? v : SymVal::unknown(v.var + var_base);
  }

  // ---------------------------------------------------- one path per thread

  void combine(const std::vector<std::size_t>& choice) {
    std::size_t n = locations_.names.size();
    for (std::size_t t = 0; t < choice.size(); ++t) n += paths_[t][choice[t]].events.size();
    reset(n);
    add_initial_writes();
    std::size_t base = locations_.names.size();
    for (std::size_t t = 0; t < choice.size(); ++t) {
      add_thread(t, paths_[t][choice[t]], base);
      base += paths_[t][choice[t]].events.size();
    }
    exec_.M = EventSet::all(n);
    list_read_from_choices();
  }

  void reset(std::size_t n) {
    exec_ = Execution{};
    exec_.events.resize(n);
    for (EventSet* set : {&exec_.M, &exec_.R, &exec_.W, &exec_.IW, &exec_.X, &exec_.SC, &exec_.AQ,
                          &exec_.RL}) {
      *set = EventSet(n);
    }
    for (Relation* rel : {&exec_.po, &exec_.loc, &exec_.int_, &exec_.rf, &exec_.co, &exec_.fr,
                          &exec_.addr, &exec_.data, &exec_.ctrl, &exec_.rmw}) {
      *rel = Relation(n);
    }
    address_.assign(n, SymVal{});
    written_.assign(n, SymVal{});
    read_var_.assign(n, 0);
    vars_.clear();
    constraints_.clear();
    final_registers_.clear();
    cut_off_ = false;
  }

  void add_initial_writes() {
    for (std::uint32_t l = 0; l < locations_.names.size(); ++l) {
      exec_.addresses.push_back(Val::of_addr(l));
      Execution::Event& init = exec_.events[l];
      init.writes = true;
      init.location = l;
      init.written = locations_.initial[l];
      address_[l] = SymVal::of(Val::of_addr(l));
      written_[l] = SymVal::of(locations_.initial[l]);
      exec_.IW.insert(l);
      exec_.W.insert(l);
    }
  }

  // Adds the events of thread t's path as events base, base+1, ...
  void add_thread(std::size_t t, const ThreadPath& path, std::size_t base) {
    const auto var_base = static_cast<std::uint32_t>(vars_.size());
    for (VarDef def : path.vars) {
      if (def.is_read) {
        def.event += static_cast<std::uint32_t>(base);
      } else {
        def.lhs = shifted(def.lhs, var_base);
        def.rhs = shifted(def.rhs, var_base);
      }
      vars_.push_back(def);
    }
    for (std::size_t i = 0; i < path.events.size(); ++i) {
      const PathEvent& pe = path.events[i];
      const std::size_t e = base + i;
      Execution::Event& event = exec_.events[e];
      event.thread = static_cast<int>(t);
      event.statement = pe.statement;
      event.reads = pe.reads;
      event.writes = pe.writes;
      event.annotation = pe.annotation;
      event.primitive = pe.primitive;
      address_[e] = shifted(pe.address, var_base);
      written_[e] = shifted(pe.written, var_base);
      read_var_[e] = pe.read_var + var_base;
      if (pe.reads) exec_.R.insert(e);
      if (pe.writes) exec_.W.insert(e);
      if (pe.annotation == Annotation::Atomic || pe.annotation == Annotation::SeqCst) exec_.X.insert(e);
      if (pe.annotation == Annotation::SeqCst) exec_.SC.insert(e);
      if (pe.annotation == Annotation::Acquire) exec_.AQ.insert(e);
      if (pe.annotation == Annotation::Release) exec_.RL.insert(e);
      for (std::size_t j = 0; j < path.events.size(); ++j) {
        exec_.int_.insert(e, base + j);
        if (j > i) exec_.po.insert(e, base + j);
      }
    }
    const auto add_pairs = [&](Relation& into, const EventPairs& pairs) {
      for (const auto& [from, to] : pairs) into.insert(base + from, base + to);
    };
    add_pairs(exec_.addr, path.addr);
    add_pairs(exec_.data, path.data);
    add_pairs(exec_.ctrl, path.ctrl);
    add_pairs(exec_.rmw, path.rmw);
    for (Constraint c : path.constraints) {
      c.lhs = shifted(c.lhs, var_base);
      c.rhs = shifted(c.rhs, var_base);
      constraints_.push_back(c);
    }
    std::array<SymVal, litmus::kNumRegs> registers{};
    for (std::size_t r = 0; r < registers.size(); ++r) registers[r] = shifted(path.registers[r], var_base);
    final_registers_.push_back(registers);
    cut_off_ = cut_off_ || path.cut_off;
  }

  // Each read may take a write that may share its location, other than
  // itself and writes after it in its thread.
  void list_read_from_choices() {
    static_location_.assign(exec_.size(), kUnknownLocation);
    for (std::size_t e = 0; e < exec_.size(); ++e) {
      if (address_[e].known) static_location_[e] = static_cast<int>(address_[e].val.symbol);
    }
    rf_.assign(exec_.size(), 0);
    reads_ = exec_.R.elements();
    may_read_non_location_ = std::any_of(reads_.begin(), reads_.end(), [&](std::size_t r) {
      return static_location_[r] == kUnknownLocation;
    });
    read_from_choices_.clear();
    for (const std::size_t r : reads_) {
      std::vector<std::size_t> writes;
      for (const std::size_t w : exec_.W.elements()) {
        if (w == r || exec_.po.contains(r, w) || !may_share_location(r, w)) continue;
        writes.push_back(w);
      }
      read_from_choices_.push_back(std::move(writes));
    }
  }

  bool may_share_location(std::size_t a, std::size_t b) const {
    return static_location_[a] == kUnknownLocation || static_location_[b] == kUnknownLocation ||
           static_location_[a] == static_location_[b];
  }

  bool same_known_location(std::size_t a, std::size_t b) const {
    return static_location_[a] != kUnknownLocation && static_location_[a] == static_location_[b];
  }

  // ---------------------------------------------------- read-from choices

  // The part of cobase known before any read is placed: the initial write is
  // first, and writes of one thread to one location follow program order.
  Relation initial_closure() const {
    Relation closure(exec_.size());
    if (pruning_ == Pruning::None) return closure;
    for (const std::size_t w : exec_.W.elements()) {
      if (exec_.IW.contains(w)) continue;
      if (static_location_[w] != kUnknownLocation) {
        add_closed_edge(closure, static_cast<std::size_t>(static_location_[w]), w);
      }
      for (const std::size_t later : exec_.po.successors(w).elements()) {
        if (exec_.W.contains(later) && same_known_location(w, later)) add_closed_edge(closure, w, later);
      }
    }
    return closure;
  }

  // Adds the cobase edges that reading r from w implies, given the reads
  // already placed; false when they make cobase cyclic (herd7's ConsCo).
  bool add_implied_write_order(Relation& closure, std::size_t r, std::size_t w, std::size_t placed) const {
    if (!same_known_location(r, w)) return true;
    const auto order = [&](std::size_t from, std::size_t to) {
      return from == to || add_closed_edge(closure, from, to);
    };
    if (exec_.W.contains(r) && !order(w, r)) return false;  // an atomic reads what it overwrites
    for (std::size_t x = 0; x < exec_.size(); ++x) {
      if (x == r || !same_known_location(r, x) || !exec_.int_.contains(r, x)) continue;
      const bool after = exec_.po.contains(r, x);
      if (exec_.W.contains(x) && !(after ? order(w, x) : order(x, w))) return false;
    }
    for (std::size_t i = 0; i < placed; ++i) {
      const std::size_t other = reads_[i];
      if (other == r || !same_known_location(r, other) || !exec_.int_.contains(r, other)) continue;
      const std::size_t other_w = rf_[other];
      if (!(exec_.po.contains(other, r) ? order(other_w, w) : order(w, other_w))) return false;
    }
    return true;
  }

  void search_read_from(std::size_t i, const Relation& closure) {
    if (i == reads_.size()) {
      solve_and_order();
      return;
    }
    const std::size_t r = reads_[i];
    for (const std::size_t w : read_from_choices_[i]) {
      count_branch(read_from_choices_[i].size());
      rf_[r] = w;
      if (pruning_ == Pruning::None) {
        search_read_from(i + 1, closure);
        continue;
      }
      Relation next = closure;
      if (add_implied_write_order(next, r, w, i)) search_read_from(i + 1, next);
    }
  }

  // ---------------------------------------------------- values

  enum class Solving : std::uint8_t { Unsolved, InProgress, Solved };

  // A solved unknown: its value, or undefined when it depends on a read of a
  // non-location (only while solving a map herd7 drops).
  struct Solved {
    Val val;
    bool undefined = false;
  };

  // The value of v under the current read-from map; nullopt when it depends on itself.
  std::optional<Solved> value(const SymVal& v) {
    if (v.known) return Solved{v.val};
    switch (solving_[v.var]) {
      case Solving::Solved: return solved_[v.var];
      case Solving::InProgress: return std::nullopt;
      case Solving::Unsolved: break;
    }
    solving_[v.var] = Solving::InProgress;
    const VarDef& def = vars_[v.var];
    std::optional<Solved> result;
    if (def.is_read) {
      result = non_location_read_[def.event] ? Solved{Val{}, true} : value(written_[rf_[def.event]]);
    } else {
      const std::optional<Solved> lhs = value(def.lhs);
      const std::optional<Solved> rhs = value(def.rhs);
      if (lhs && rhs) {
        result = lhs->undefined || rhs->undefined ? Solved{Val{}, true} : Solved{apply(def.op, lhs->val, rhs->val)};
      }
    }
    if (!result) return std::nullopt;
    solving_[v.var] = Solving::Solved;
    solved_[v.var] = *result;
    return result;
  }

  // The value of v once solve_unknowns() succeeded.
  Solved solved(const SymVal& v) { return value(v).value(); }

  // The location id of an address; an address inside a location (herd7 keeps
  // those apart from the location itself) gets an id past the test's locations.
  std::uint32_t location_id(const Val& address) {
    if (address.offset == 0) return address.symbol;
    for (std::size_t id = locations_.names.size(); id < exec_.addresses.size(); ++id) {
      if (exec_.addresses[id] == address) return static_cast<std::uint32_t>(id);
    }
    exec_.addresses.push_back(address);
    return static_cast<std::uint32_t>(exec_.addresses.size() - 1);
  }

  // herd7 solves every equation, used or not: one that cannot be solved (a
  // value depending on itself) drops the map.
  bool solve_unknowns() {
    solving_.assign(vars_.size(), Solving::Unsolved);
    solved_.assign(vars_.size(), Solved{});
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      if (!value(SymVal::unknown(v))) return false;
    }
    return true;
  }

  // Gives every access its location. An address computed from an unknown
  // value gets a location of its own (with a placeholder address).
  void place_accesses() {
    exec_.addresses.resize(locations_.names.size());
    for (std::size_t e = 0; e < exec_.size(); ++e) {
      const Solved where = solved(address_[e]);
      unknown_address_[e] = where.undefined;
      if (where.undefined) {
        exec_.addresses.emplace_back();
        exec_.events[e].location = static_cast<std::uint32_t>(exec_.addresses.size() - 1);
        continue;
      }
      if (where.val.kind != Val::Kind::Addr) {
        throw ModelError("P" + std::to_string(exec_.events[e].thread) + ": access through " +
                         locations_.format(where.val) + ", which is not an address");
      }
      exec_.events[e].location = location_id(where.val);
    }
  }

  // Checks the placed map and records its values; false when it gives no
  // candidate. Reads of a non-location take no write.
  bool check_and_record() {
    for (const std::size_t r : reads_) {
      if (!non_location_read_[r] && exec_.events[r].location != exec_.events[rf_[r]].location) return false;
      exec_.events[r].read = solved(SymVal::unknown(read_var_[r])).val;
    }
    for (const std::size_t w : exec_.W.elements()) {
      const Solved written = solved(written_[w]);
      exec_.events[w].written = written.val;
      written_undefined_[w] = written.undefined;
    }
    for (const Constraint& c : constraints_) {
      const Solved lhs = solved(c.lhs);
      const Solved rhs = solved(c.rhs);
      // A branch on an unknown value may go either way.
      if (lhs.undefined || rhs.undefined) continue;
      if (apply(c.op, lhs.val, rhs.val).is_zero() == c.holds) return false;
    }
    registers_.assign(final_registers_.size(), {});
    undefined_.registers.assign(final_registers_.size(), {});
    for (std::size_t t = 0; t < final_registers_.size(); ++t) {
      for (std::size_t r = 0; r < litmus::kNumRegs; ++r) {
        const Solved v = solved(final_registers_[t][r]);
        registers_[t][r] = v.val;
        undefined_.registers[t][r] = v.undefined;
      }
    }
    return true;
  }

  // Solves the values of the current read-from map as herd7 does; false when
  // herd7 drops the map.
  bool solve() {
    non_location_read_.assign(exec_.size(), false);
    unknown_address_.assign(exec_.size(), false);
    written_undefined_.assign(exec_.size(), false);
    if (!solve_unknowns()) return false;
    place_accesses();
    return check_and_record();
  }

  // Whether herd7 drops the map because read r accesses a non-location that
  // its write does not share, or an address computed from an unknown value.
  bool reads_non_location(std::size_t r) const {
    if (unknown_address_[r]) return true;
    const std::uint32_t l = exec_.events[r].location;
    return l >= locations_.names.size() && exec_.events[rf_[r]].location != l;
  }

  // An undefined read's value does not depend on its write: one choice, the
  // first write elsewhere, stands for all of them.
  bool representative_choice(std::size_t r) const {
    const auto i = static_cast<std::size_t>(std::find(reads_.begin(), reads_.end(), r) - reads_.begin());
    for (const std::size_t w : read_from_choices_[i]) {
      if (exec_.events[w].location != exec_.events[r].location) return w == rf_[r];
    }
    return false;
  }

  // Solves a map that solve() dropped as an undefined candidate: its reads of
  // a non-location take unknown values, which may move later addresses to a
  // non-location too, so they are found round by round. False when the map
  // is dropped for another reason.
  bool solve_undefined() {
    try {
      for (;;) {
        if (!solve_unknowns()) return false;
        place_accesses();
        bool more = false;
        for (const std::size_t r : reads_) {
          if (non_location_read_[r] || !reads_non_location(r)) continue;
          non_location_read_[r] = true;
          more = true;
        }
        if (!more) break;
      }
    } catch (const ModelError&) {
      return false;  // an error in values herd7 never computes, since it drops the map
    }
    undefined_.non_location_reads.clear();
    undefined_.write_to_unknown_address = false;
    for (std::size_t e = 0; e < exec_.size(); ++e) {
      if (exec_.events[e].writes && unknown_address_[e]) undefined_.write_to_unknown_address = true;
      if (!non_location_read_[e]) continue;
      if (!representative_choice(e)) return false;
      if (!unknown_address_[e]) undefined_.non_location_reads.push_back(e);
    }
    return !undefined_.non_location_reads.empty() && check_and_record();
  }

  // ---------------------------------------------------- coherence orders

  void solve_and_order() {
    is_undefined_ = false;
    if (!solve()) {
      if (!report_undefined_ || !may_read_non_location_ || !solve_undefined()) return;
      is_undefined_ = true;
    }
    const std::size_t n = exec_.size();
    exec_.loc = Relation(n);
    exec_.rf = Relation(n);
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = 0; b < n; ++b) {
        if (exec_.events[a].location == exec_.events[b].location) exec_.loc.insert(a, b);
      }
    }
    for (const std::size_t r : reads_) {
      if (!non_location_read_[r]) exec_.rf.insert(rf_[r], r);
    }

    writes_by_location_.assign(exec_.addresses.size(), {});
    for (const std::size_t w : exec_.W.elements()) {
      writes_by_location_[exec_.events[w].location].push_back(w);  // an initial write comes first
    }
    po_loc_ = exec_.po_loc();
    cobase_ = Relation(n);
    if (pruning_ == Pruning::Coherent) {
      cobase_ = write_order_base();
      if (!cobase_.acyclic()) return;
    }
    memory_.assign(exec_.addresses.size(), Val{});
    undefined_.memory.assign(exec_.addresses.size(), false);
    order_location(0, Relation(n), EventSet(n));
  }

  // herd7's cobase (cos-opt.cat): obsco | rmwco | co0, without the final
  // writes part of co0 (the last write of each order gives the final value).
  Relation write_order_base() const {
    const Relation& rf = exec_.rf;
    const Relation rf_inv = rf.inverse();
    const Relation not_id = Relation::cartesian(exec_.M, exec_.M) - exec_.id();
    const Relation ww = po_loc_.restrict(exec_.W, exec_.W);
    const Relation rw = seq(rf, po_loc_.restrict(exec_.R, exec_.W));
    const Relation wr = seq(po_loc_.restrict(exec_.W, exec_.R), rf_inv) & not_id;
    const Relation rr = seq(seq(rf, po_loc_.restrict(exec_.R, exec_.R)), rf_inv) & not_id;
    const Relation rmwco = rf.restrict(exec_.W, exec_.R & exec_.W);
    const Relation co0 = (Relation::cartesian(exec_.IW, exec_.W - exec_.IW)) & exec_.loc;
    return ww | rw | wr | rr | rmwco | co0;
  }

  // Chooses the coherence order of location l onwards; `co` holds the orders
  // chosen so far and `ordered` the events of their locations.
  void order_location(std::size_t l, const Relation& co, const EventSet& ordered) {
    if (l == writes_by_location_.size()) {
      exec_.co = co;
      exec_.fr = seq(exec_.rf.inverse(), co) - exec_.id();
      visit_(Candidate{exec_, registers_, memory_, cut_off_, is_undefined_ ? &undefined_ : nullptr});
      return;
    }
    const std::vector<std::size_t>& writes = writes_by_location_[l];
    std::vector<std::size_t> order;
    std::vector<bool> placed(writes.size(), false);
    if (!writes.empty() && exec_.IW.contains(writes.front())) {
      order.push_back(writes.front());
      placed.front() = true;
    }
    extend_order(l, order, placed, co, ordered);
  }

  void extend_order(std::size_t l, std::vector<std::size_t>& order, std::vector<bool>& placed,
                    const Relation& co, const EventSet& ordered) {
    const std::vector<std::size_t>& writes = writes_by_location_[l];
    if (order.size() == writes.size()) {
      close_location(l, order, co, ordered);
      return;
    }
    std::size_t choices = 0;
    for (std::size_t i = 0; i < writes.size(); ++i) {
      if (!placed[i] && predecessors_placed(writes, placed, writes[i])) ++choices;
    }
    for (std::size_t i = 0; i < writes.size(); ++i) {
      if (placed[i] || !predecessors_placed(writes, placed, writes[i])) continue;
      count_branch(choices);
      placed[i] = true;
      order.push_back(writes[i]);
      extend_order(l, order, placed, co, ordered);
      order.pop_back();
      placed[i] = false;
    }
  }

  bool predecessors_placed(const std::vector<std::size_t>& writes, const std::vector<bool>& placed,
                           std::size_t w) const {
    for (std::size_t i = 0; i < writes.size(); ++i) {
      if (!placed[i] && cobase_.contains(writes[i], w)) return false;
    }
    return true;
  }

  void close_location(std::size_t l, const std::vector<std::size_t>& order, const Relation& co,
                      const EventSet& ordered) {
    Relation next = co;
    for (std::size_t i = 0; i < order.size(); ++i) {
      for (std::size_t j = i + 1; j < order.size(); ++j) next.insert(order[i], order[j]);
    }
    EventSet now_ordered = ordered;
    for (std::size_t e = 0; e < exec_.size(); ++e) {
      if (exec_.events[e].location == l) now_ordered.insert(e);
    }
    if (pruning_ == Pruning::Coherent) {
      const Relation fr = seq(exec_.rf.inverse(), next) - exec_.id();
      const Relation com = (po_loc_ | exec_.rf | next | fr).restrict(now_ordered, now_ordered);
      if (!com.acyclic()) return;
    }
    if (!order.empty()) {
      memory_[l] = exec_.events[order.back()].written;
      undefined_.memory[l] = written_undefined_[order.back()];
    }
    order_location(l + 1, next, now_ordered);
  }

  const LocationTable& locations_;
  const Limits& limits_;
  Pruning pruning_;
  bool report_undefined_;
  const std::function<void(const Candidate&)>& visit_;
  std::vector<std::vector<ThreadPath>> paths_;
  std::uint64_t branches_ = 0;

  // The current combination of paths.
  Execution exec_;
  std::vector<SymVal> address_, written_;
  std::vector<std::uint32_t> read_var_;
  std::vector<VarDef> vars_;
  std::vector<Constraint> constraints_;
  std::vector<std::array<SymVal, litmus::kNumRegs>> final_registers_;
  bool cut_off_ = false;
  std::vector<int> static_location_;
  bool may_read_non_location_ = false;  // some read's location is known only once solved
  std::vector<std::size_t> reads_;
  std::vector<std::vector<std::size_t>> read_from_choices_;

  // The current read-from map and what follows from it.
  std::vector<std::size_t> rf_;
  std::vector<Solving> solving_;
  std::vector<Solved> solved_;
  std::vector<bool> non_location_read_;  // per event: reads a non-location (undefined candidates)
  std::vector<bool> unknown_address_;    // per event: its address depends on such a read
  std::vector<bool> written_undefined_;  // per event: it writes a value that does
  bool is_undefined_ = false;            // the current map is an undefined candidate
  UndefinedValues undefined_;
  std::vector<std::array<Val, litmus::kNumRegs>> registers_;
  std::vector<std::vector<std::size_t>> writes_by_location_;
  Relation po_loc_;
  Relation cobase_;
  std::vector<Val> memory_;
};

}  // namespace

void for_each_candidate(const litmus::Test& test, const LocationTable& locations, const Limits& limits,
                        Pruning pruning, const std::function<void(const Candidate&)>& visit,
                        NonLocationReads non_location_reads) {
  CandidateSearch(test, locations, limits, pruning, non_location_reads, visit).run();
}

}  // namespace bpf_litmus::model
