// Loaded before every test file: tests run tfjs in production mode, as the CLIs do (src/backend/select.ts),
// which also keeps tfjs's "install the node backend" banner out of the output.
import * as tf from '@tensorflow/tfjs';

tf.enableProdMode();
