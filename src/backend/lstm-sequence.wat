;; Whole sequences, forward and backward, for the rows rowStart … rowEnd − 1 of the batch, and the weight gradients'
;; product: included into lstm-cell.wat's module by scripts/build-wasm.mjs. Rows of a batch never meet in an LSTM,
;; so a thread runs the recurrence of a chunk of rows from the first step to the last (src/backend/row-threads.ts),
;; with no wait between steps. Per step and block of 4 rows: the product with [U; V] forward, Vᵀ backward, for the
;; block (matmul.wat), then the rows' cells.
;;
;; Layouts (f32, row-major, as in lstm-fused.ts): x [B, T, I], outputs and dOutputs [B, T, H], the trace gates
;; [T, B, 4H], tanhC and cs [T, B, H], operands [T·B, I + H + 1] ([X | H_prev | 1], time-major), dZT [4H, T·B],
;; mask [B, T]; states [B, H]. [U; V] and Vᵀ come packed (`pack`): U, V and b with the g block scaled by 2, Vᵀ not
;; (dz is the gradient w.r.t. the unscaled pre-activations).

  ;; Floats of scratch a thread needs: forward a row of zeros (the state before step 0), two more rows and a block
  ;; of 4 [4H] rows; backward the zeros, a block of 4 rows and one of 4 [4H] rows.
  (func (export "scratchFloats") (param $hidden i32) (result i32)
    (i32.mul (local.get $hidden) (i32.const 21)))

  (func (export "packedFloats") (param $k i32) (param $n i32) (result i32)
    (call $packedSize (local.get $k) (local.get $n)))

  (func (export "pack") (param $dst i32) (param $n i32) (param $w1 i32) (param $k1 i32) (param $w2 i32) (param $k2 i32)
    (call $pack (local.get $dst) (local.get $n) (local.get $w1) (local.get $k1) (local.get $w2) (local.get $k2)))

  ;; Forward through every step, each block of rows from z = b + x_t·U + h_{t-1}·V (wp: [U; V] packed). Without a
  ;; trace (gates 0) s and tanh(c) go to scratch and c is kept in cOut; with one they go into step t of the trace,
  ;; c into cs, and each row's [x_t | h_{t-1} | 1] into the operands. At the end hOut and cOut hold the last h and c
  ;; (carried over through trailing padding).
  (func (export "forwardSequence")
    (param $x i32) (param $input i32) (param $wp i32) (param $bias i32) (param $mask i32)
    (param $time i32) (param $batch i32) (param $hidden i32) (param $rowStart i32) (param $rowEnd i32)
    (param $outputs i32) (param $hOut i32) (param $cOut i32)
    (param $gates i32) (param $tanhC i32) (param $cs i32) (param $operands i32) (param $scratch i32)
    (local $t i32) (local $b i32) (local $r i32) (local $n i32) (local $row i32) (local $tb i32) (local $bt i32)
    (local $gateRow i32) (local $stateRow i32) (local $xRow i32) (local $width i32)
    (local $zeros i32) (local $cNew i32) (local $tanhRow i32) (local $zTile i32)
    (local $s i32) (local $c i32) (local $cPrev i32) (local $h i32) (local $hPrev i32) (local $hNext i32)
    (local.set $gateRow (i32.shl (local.get $hidden) (i32.const 4))) ;; bytes of a [4H] row
    (local.set $stateRow (i32.shl (local.get $hidden) (i32.const 2))) ;; bytes of an [H] row
    (local.set $xRow (i32.shl (local.get $input) (i32.const 2))) ;; bytes of an [I] row
    (local.set $width (i32.add (i32.add (local.get $input) (local.get $hidden)) (i32.const 1))) ;; floats of an operands row
    (local.set $zeros (local.get $scratch))
    (local.set $cNew (i32.add (local.get $zeros) (local.get $stateRow)))
    (local.set $tanhRow (i32.add (local.get $cNew) (local.get $stateRow)))
    (local.set $zTile (i32.add (local.get $tanhRow) (local.get $stateRow)))
    (call $zero (local.get $zeros) (local.get $stateRow))
    (block $stepsDone (loop $steps
      (br_if $stepsDone (i32.ge_u (local.get $t) (local.get $time)))
      (local.set $b (local.get $rowStart))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $b) (local.get $rowEnd)))
        (local.set $n (call $blockRows (local.get $b) (local.get $rowEnd)))
        (local.set $bt (call $at (local.get $b) (local.get $time) (local.get $t))) ;; (b, t) in [B, T, ·]
        ;; z of the block into s (step t of the trace, or scratch): b + x_t·U, then + h_{t-1}·V after step 0
        (local.set $s (select (call $rowAt (local.get $gates) (call $at (local.get $t) (local.get $batch) (local.get $b)) (local.get $gateRow))
          (local.get $zTile) (local.get $gates)))
        (call $matmulRows (local.get $s) (local.get $bias) (i32.const 0)
          (call $rowAt (local.get $x) (local.get $bt) (local.get $xRow)) (i32.mul (local.get $time) (local.get $xRow)) (local.get $input)
          (call $rowAt (local.get $outputs) (i32.sub (local.get $bt) (i32.const 1)) (local.get $stateRow))
          (i32.mul (local.get $time) (local.get $stateRow)) (select (local.get $hidden) (i32.const 0) (local.get $t))
          (local.get $wp) (i32.add (local.get $input) (local.get $hidden)) (local.get $n) (i32.shl (local.get $hidden) (i32.const 2)))
        (local.set $r (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $n)))
          (local.set $row (i32.add (local.get $b) (local.get $r)))
          (local.set $tb (call $at (local.get $t) (local.get $batch) (local.get $row))) ;; (t, row) in [T, B, ·]
          (local.set $bt (call $at (local.get $row) (local.get $time) (local.get $t))) ;; (row, t) in [B, T, ·]
          ;; c_{t-1} and c_t: in cs with a trace, else both the row of cOut; h_{t-1} and h_t in the outputs
          (if (local.get $cs)
            (then
              (local.set $c (call $rowAt (local.get $cs) (local.get $tb) (local.get $stateRow)))
              (local.set $cPrev (i32.sub (local.get $c) (i32.mul (local.get $batch) (local.get $stateRow)))))
            (else
              (local.set $c (call $rowAt (local.get $cOut) (local.get $row) (local.get $stateRow)))
              (local.set $cPrev (local.get $c))))
          (local.set $h (call $rowAt (local.get $outputs) (local.get $bt) (local.get $stateRow)))
          (local.set $hPrev (i32.sub (local.get $h) (local.get $stateRow)))
          (if (i32.eqz (local.get $t)) (then (local.set $cPrev (local.get $zeros)) (local.set $hPrev (local.get $zeros))))
          ;; with a trace: this row's operands, and h_t also into the H_prev block of step t + 1's row
          (local.set $hNext (i32.const 0))
          (if (local.get $operands) (then
            (call $operandRow (local.get $operands) (local.get $tb) (local.get $width) (call $rowAt (local.get $x) (local.get $bt) (local.get $xRow))
              (local.get $input) (local.get $hidden) (local.get $t))
            (if (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $time)) (then
              (local.set $hNext (i32.add (local.get $xRow)
                (call $rowAt (local.get $operands) (i32.add (local.get $tb) (local.get $batch)) (i32.shl (local.get $width) (i32.const 2)))))))))
          (call $forwardRow
            (call $rowAt (local.get $s) (local.get $r) (local.get $gateRow)) (call $rowAt (local.get $s) (local.get $r) (local.get $gateRow))
            (local.get $cPrev) (local.get $hPrev) (call $keep (local.get $mask) (local.get $row) (local.get $t) (local.get $time))
            (local.get $hidden) (local.get $c) (local.get $h)
            (select (call $rowAt (local.get $tanhC) (local.get $tb) (local.get $stateRow)) (local.get $tanhRow) (local.get $tanhC))
            (local.get $cNew) (local.get $hNext))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rows)))
        (local.set $b (i32.add (local.get $b) (local.get $n)))
        (br $blocks)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $steps)))
    ;; the last h and c of each row
    (local.set $row (local.get $rowStart))
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u (local.get $row) (local.get $rowEnd)))
      (local.set $bt (call $at (local.get $row) (local.get $time) (i32.sub (local.get $time) (i32.const 1))))
      (call $copy (call $rowAt (local.get $hOut) (local.get $row) (local.get $stateRow))
        (call $rowAt (local.get $outputs) (local.get $bt) (local.get $stateRow)) (local.get $stateRow))
      (local.set $tb (call $at (i32.sub (local.get $time) (i32.const 1)) (local.get $batch) (local.get $row)))
      (if (local.get $cs) (then
        (call $copy (call $rowAt (local.get $cOut) (local.get $row) (local.get $stateRow))
          (call $rowAt (local.get $cs) (local.get $tb) (local.get $stateRow)) (local.get $stateRow))))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $last))))

  ;; Row tb = t·B + b of the operands [X | H_prev | 1]: x[b, t] (at `from`), at t = 0 the zeros of h_{-1} (later
  ;; steps' h_{t-1} is written by the step before), and the 1.
  (func $operandRow (param $operands i32) (param $tb i32) (param $width i32) (param $from i32) (param $input i32)
    (param $hidden i32) (param $t i32)
    (local $to i32) (local $j i32)
    (local.set $to (call $rowAt (local.get $operands) (local.get $tb) (i32.shl (local.get $width) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $input)))
      (f32.store (local.get $to) (f32.load (local.get $from)))
      (local.set $to (i32.add (local.get $to) (i32.const 4)))
      (local.set $from (i32.add (local.get $from) (i32.const 4)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next)))
    (if (i32.eqz (local.get $t)) (then (call $zeroFloats (local.get $to) (local.get $hidden))))
    (f32.store (i32.add (local.get $to) (i32.shl (local.get $hidden) (i32.const 2))) (f32.const 1)))

  ;; Backward through every step, t = T − 1 … 0: dz_t of the rows into their columns of dZᵀ (the weight gradients
  ;; multiply all of it at once afterwards). dh and dc are the states [B, H] (the kernel's scratch): they start as
  ;; the gradients reaching the last h and c, and hold those reaching h_t and c_t as the steps go back.
  (func (export "backwardSequence")
    (param $dOutputs i32) (param $dhLast i32) (param $dcLast i32) (param $gates i32) (param $tanhC i32) (param $cs i32)
    (param $vtp i32) (param $mask i32)
    (param $time i32) (param $batch i32) (param $hidden i32) (param $rowStart i32) (param $rowEnd i32)
    (param $dZT i32) (param $dh i32) (param $dc i32) (param $scratch i32)
    (local $t i32) (local $b i32) (local $r i32) (local $n i32) (local $row i32) (local $tb i32)
    (local $gateRow i32) (local $stateRow i32) (local $zeros i32) (local $dhPass i32) (local $dzTile i32)
    (local $first i32) (local $rowsBytes i32) (local $dcRow i32)
    (local.set $gateRow (i32.shl (local.get $hidden) (i32.const 4)))
    (local.set $stateRow (i32.shl (local.get $hidden) (i32.const 2)))
    (local.set $zeros (local.get $scratch))
    (local.set $dhPass (select (i32.add (local.get $zeros) (local.get $stateRow)) (i32.const 0) (local.get $mask)))
    (local.set $dzTile (i32.add (local.get $zeros) (i32.mul (local.get $stateRow) (i32.const 5))))
    (call $zero (local.get $zeros) (local.get $stateRow))
    (local.set $first (i32.mul (local.get $rowStart) (local.get $stateRow)))
    (local.set $rowsBytes (i32.mul (i32.sub (local.get $rowEnd) (local.get $rowStart)) (local.get $stateRow)))
    (call $copy (i32.add (local.get $dh) (local.get $first)) (i32.add (local.get $dhLast) (local.get $first)) (local.get $rowsBytes))
    (call $copy (i32.add (local.get $dc) (local.get $first)) (i32.add (local.get $dcLast) (local.get $first)) (local.get $rowsBytes))
    (local.set $t (local.get $time))
    (block $stepsDone (loop $steps
      (br_if $stepsDone (i32.eqz (local.get $t)))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (local.set $b (local.get $rowStart))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $b) (local.get $rowEnd)))
        (local.set $n (call $blockRows (local.get $b) (local.get $rowEnd)))
        (local.set $r (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $n)))
          (local.set $row (i32.add (local.get $b) (local.get $r)))
          (local.set $tb (call $at (local.get $t) (local.get $batch) (local.get $row))) ;; (t, row) in [T, B, ·]
          (local.set $dcRow (call $rowAt (local.get $dc) (local.get $row) (local.get $stateRow)))
          (call $backwardRow
            (call $rowAt (local.get $dOutputs) (call $at (local.get $row) (local.get $time) (local.get $t)) (local.get $stateRow))
            (call $rowAt (local.get $dh) (local.get $row) (local.get $stateRow)) (local.get $dcRow)
            (call $rowAt (local.get $gates) (local.get $tb) (local.get $gateRow))
            (call $rowAt (local.get $tanhC) (local.get $tb) (local.get $stateRow))
            (select (call $rowAt (local.get $cs) (i32.sub (local.get $tb) (local.get $batch)) (local.get $stateRow))
              (local.get $zeros) (local.get $t))
            (call $keep (local.get $mask) (local.get $row) (local.get $t) (local.get $time))
            (local.get $hidden) (call $rowAt (local.get $dzTile) (local.get $r) (local.get $gateRow)) (local.get $dcRow)
            (select (call $rowAt (local.get $dhPass) (local.get $r) (local.get $stateRow)) (i32.const 0) (local.get $mask)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rows)))
        ;; dz of the block into its columns t·B + b … of dZᵀ
        (call $transpose (local.get $dzTile) (local.get $n) (i32.shl (local.get $hidden) (i32.const 2))
          (call $rowAt (local.get $dZT) (call $at (local.get $t) (local.get $batch) (local.get $b)) (i32.const 4))
          (i32.shl (i32.mul (local.get $time) (local.get $batch)) (i32.const 2)))
        ;; dh_{t-1} = dz_t·Vᵀ (+ dh handed on at padding); none before step 0
        (if (local.get $t) (then
          (call $matmulRows (call $rowAt (local.get $dh) (local.get $b) (local.get $stateRow)) (local.get $dhPass) (local.get $stateRow)
            (local.get $dzTile) (local.get $gateRow) (i32.shl (local.get $hidden) (i32.const 2)) (i32.const 0) (i32.const 0) (i32.const 0)
            (local.get $vtp) (i32.shl (local.get $hidden) (i32.const 2)) (local.get $n) (local.get $hidden))))
        (local.set $b (i32.add (local.get $b) (local.get $n)))
        (br $blocks)))
      (br $steps))))

  ;; The weight gradients' product for the rows rowStart … rowEnd − 1 of dZᵀ [4H, rows]: out[m, :] = Σ_r dZT[m, r] ·
  ;; operands[r, :], [dU | dV | db]ᵀ [4H, width], with the operands [X | H_prev | 1] packed (a panel holds all `rows`
  ;; rows). Summing over all rows at once measured faster than in blocks of 128 … 4096 that stay in the cache.
  (func (export "weightGradient") (param $dZT i32) (param $packed i32) (param $rows i32) (param $width i32)
    (param $rowStart i32) (param $rowEnd i32) (param $out i32)
    (call $matmulRows
      (call $rowAt (local.get $out) (local.get $rowStart) (i32.shl (local.get $width) (i32.const 2))) (i32.const 0) (i32.const 0)
      (call $rowAt (local.get $dZT) (local.get $rowStart) (i32.shl (local.get $rows) (i32.const 2)))
      (i32.shl (local.get $rows) (i32.const 2)) (local.get $rows) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $packed) (local.get $rows) (i32.sub (local.get $rowEnd) (local.get $rowStart)) (local.get $width)))

  ;; Rows of the block starting at row b: 4 while that many are left, then one at a time.
  (func $blockRows (param $b i32) (param $rowEnd i32) (result i32)
    (select (i32.const 4) (i32.const 1) (i32.ge_u (i32.sub (local.get $rowEnd) (local.get $b)) (i32.const 4))))

  ;; i·n + j: the flat index of (i, j) in rows of n.
  (func $at (param $i i32) (param $n i32) (param $j i32) (result i32)
    (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)))

  ;; The address of row `index` of rows `rowBytes` long from base.
  (func $rowAt (param $base i32) (param $index i32) (param $rowBytes i32) (result i32)
    (i32.add (local.get $base) (i32.mul (local.get $index) (local.get $rowBytes))))
