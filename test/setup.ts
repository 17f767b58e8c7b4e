// Loaded before every test file: tfjs's "install the node backend" banner is noise in test output.
import * as tf from '@tensorflow/tfjs';

tf.env().set('IS_TEST', true);
