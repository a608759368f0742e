import type { ReactElement } from 'react';
import { SectionScreens } from '../../components/SectionScreens';
import { useMe } from '../../session';
import { type AgreementPath, agreementSectionsFor } from './access';
import { Consent } from './Consent';
import { Coverage } from './Coverage';
import { Documents } from './Documents';
import { MyAgreements } from './MyAgreements';
import { Training } from './Training';

const SCREENS: Record<AgreementPath, ReactElement> = {
  mine: <MyAgreements />,
  coverage: <Coverage />,
  documents: <Documents />,
  consent: <Consent />,
  training: <Training />,
};

/** Agreements, image consent and training records: the records an e-safety policy promises. */
export function Agreements() {
  const me = useMe();
  return (
    <div className="agreements">
      <SectionScreens name="Agreements" base="/agreements" sections={agreementSectionsFor(me)} screens={SCREENS} />
    </div>
  );
}
