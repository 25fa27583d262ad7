// The BPF memory model, herd/libdir/bpf.cat line for line. The coherence
// order generation of cos-opt.cat is done by the candidate search.
#include "model/models.hpp"

namespace bpf_litmus::model {
namespace {

class BpfModel final : public MemoryModel {
 public:
  std::string_view name() const override { return "bpf"; }

  void evaluate(const Execution& x, const std::function<bool(const Axiom&)>& check) const override {
    const EventSet& M = x.M;
    const EventSet& R = x.R;
    const EventSet& W = x.W;
    const Relation id = Relation::identity(x.size());
    const Relation& po = x.po;
    const Relation& rf = x.rf;
    const Relation& co = x.co;
    const Relation& fr = x.fr;
    const Relation& amo = x.rmw;  // BPF's only two-event atomic is cmpxchg: rmw = amo
    const Relation& rmw = x.rmw;
    const Relation po_loc = x.po_loc();

    // Sc per location
    const Relation com = co | rf | fr;
    if (!check({"Coherence", Axiom::Kind::Acyclic, com | po_loc,
                {{"co", &co}, {"rf", &rf}, {"fr", &fr}, {"po-loc", &po_loc}}})) {
      return;
    }

    // Single event atomic ops with SC, and two-event ones related by amo,
    // act as full barriers.
    const EventSet RMW = R & W & x.SC;
    const Relation SRMW = Relation::cartesian(x.SC, x.SC) & amo;
    const Relation po_amo_fetch = po.restrict(M, RMW) | po.restrict(RMW, M) |
                                  po.restrict(M, SRMW.domain()) | po.restrict(SRMW.range(), M);

    // Release Consistency processor consistent (RCpc)
    const Relation load_acquire = po.restrict(x.AQ, M);
    const Relation store_release = po.restrict(M, x.RL);
    const Relation rcpc = load_acquire | store_release;

    // Dependencies
    const Relation addr_dep = x.addr.restrict(R, M);
    const Relation data_dep = x.data.restrict(R, W);
    const Relation ctrl_dep = x.ctrl.restrict(R, W);

    const Relation rfe = x.rfe();
    const Relation rfi = x.rfi();
    const Relation coe = x.coe();
    const Relation fre = x.fre();
    const Relation dep_rfi = seq((x.addr | x.data).restrict(M, W), rfi).restrict(M, R);
    const Relation addr_po = seq(x.addr.restrict(M, M), po).restrict(M, W);
    const Relation overlap = x.coi() | x.fri();
    const Relation ppo =
        po_amo_fetch | rcpc | addr_dep | data_dep | ctrl_dep | dep_rfi | addr_po | overlap;

    // Propagation ordering from SC and release operations
    const Relation a_cumul = seq(rfe.opt(), po_amo_fetch | store_release);
    const Relation amo_sequence = seq(rf, Relation::identity_on(R & W) | amo).star();
    const Relation prop = seq(seq((coe | fre).opt(), seq(a_cumul, amo_sequence).star()), rfe.opt());

    // No-Thin-Air and Observation
    const Relation prop_int = (prop - id) & x.int_;
    const Relation hb = ppo | rfe | prop_int;
    if (!check({"Happens-before", Axiom::Kind::Acyclic, hb,
                {{"po_amo_fetch", &po_amo_fetch},
                 {"rcpc", &rcpc},
                 {"addr", &addr_dep},
                 {"data", &data_dep},
                 {"ctrl", &ctrl_dep},
                 {"(addr|data);rfi", &dep_rfi},
                 {"addr;po", &addr_po},
                 {"coi|fri", &overlap},
                 {"rfe", &rfe},
                 {"prop&int", &prop_int}}})) {
      return;
    }

    const Relation pb = seq(seq(prop, po_amo_fetch), hb.star());
    if (!check({"Propagation", Axiom::Kind::Acyclic, pb, {{"prop;po_amo_fetch;hb*", &pb}}})) return;

    check({"Atomic", Axiom::Kind::Empty, rmw & seq(fre, coe), {{"rmw", &rmw}, {"fre", &fre}, {"coe", &coe}}});
  }
};

}  // namespace

std::unique_ptr<MemoryModel> make_bpf_model() { return std::make_unique<BpfModel>(); }

}  // namespace bpf_litmus::model
